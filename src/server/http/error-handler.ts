/**
 * Every error leaves as `{ code, message }` JSON with a 4xx/5xx status and never a stack trace. Fastify's own
 * errors (bad JSON, body too large, wrong content type, a malformed URL or HTTP request) are mapped onto the
 * server's codes.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../api-error';
import { SECURITY_HEADERS } from './security-headers';

function toApiError(error: FastifyError | Error, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  const fe = error as FastifyError;
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than this server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = JSON.stringify((request.headers['content-type'] ?? 'none').slice(0, 80));
      return new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        request.routeOptions.url === '/api/desktop/token'
          ? `content-type ${type} is not accepted here, expected application/x-www-form-urlencoded or application/json`
          : `content-type ${type} is not accepted here, expected application/json`,
      );
    }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'INVALID_INPUT', 'the body is empty, expected a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'INVALID_INPUT', 'the body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'INVALID_INPUT', 'the body is not as long as its content-length says');
    case 'FST_ERR_BAD_URL':
      return new ApiError(
        400,
        'INVALID_INPUT',
        'the URL path is not valid: it has a % that does not start a percent-encoded UTF-8 character',
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError(414, 'INVALID_INPUT', 'a part of the URL path is longer than this server accepts');
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

function sendError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const apiError = toApiError(error, request);
  if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
  return reply.code(apiError.status).type('application/json; charset=utf-8').send(apiError.toJSON());
}

/**
 * Fastify's `frameworkErrors`: errors it meets before any route is found (a URL path with a bad percent-encoding,
 * an over-long path parameter), which otherwise leave in Fastify's own `{ error, code, statusCode }` shape.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // No route, so no onSend hook: the security headers are set here.
  sendError(error, request, reply.headers(SECURITY_HEADERS).header('cache-control', 'no-store'));
}

/**
 * Node's `clientError`: a request that is not valid HTTP, headers too large, or one that took too long. Answered
 * on the socket in the same shape (Fastify's default writes its own), then the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, apiError] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', new ApiError(408, 'INVALID_INPUT', 'the request did not arrive in time')]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'Request Header Fields Too Large',
            new ApiError(431, 'PAYLOAD_TOO_LARGE', 'the request headers are larger than this server accepts'),
          ]
        : [400, 'Bad Request', new ApiError(400, 'INVALID_INPUT', 'the request is not valid HTTP/1.1')];
  if (socket.writable) {
    const body = JSON.stringify(apiError.toJSON());
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => sendError(error, request, reply));
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
