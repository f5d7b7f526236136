/**
 * Every error leaves as `{ code, message }` JSON with a 4xx/5xx status and never a stack trace. Fastify's own
 * errors (bad JSON, body too large, wrong content type) are mapped onto the server's codes.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError } from '../api-error';

function toApiError(error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const fe = error as FastifyError;
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than this server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `content-type is not accepted here, expected application/json`,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'INVALID_INPUT', 'the body is empty, expected a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'INVALID_INPUT', 'the body is not valid JSON');
    default:
      break;
  }
  if (status === 429)
    return new ApiError(429, 'RATE_LIMITED', fe.message || 'too many requests; retry later');
  if (error instanceof SyntaxError || (status === 400 && /JSON/i.test(fe.message)))
    return new ApiError(400, 'INVALID_INPUT', 'the body is not valid JSON');
  if (status >= 400 && status < 500) return new ApiError(status, 'INVALID_INPUT', fe.message);
  return new ApiError(500, 'INTERNAL', 'internal error; see the server log');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(apiError.status).type('application/json; charset=utf-8').send(apiError.toJSON());
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        new ApiError(
          404,
          'NOT_FOUND',
          `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
        ).toJSON(),
      ),
  );
}
