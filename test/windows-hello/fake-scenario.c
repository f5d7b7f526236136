/*
 * The stand-in's scenario, bookkeeping and helpers. The scenario is a text file named by the exported setter
 * FakeWebAuthn_SetScenarioPath or, failing that, by the FAKE_WEBAUTHN_SCENARIO environment variable (so a CLI
 * child process sees the same one). One record per line, fields separated by one space, '-' for NULL, '.' for
 * an empty value; bytes are hex; strings are hex of their UTF-16LE code units (so the C side never has to
 * transcode, and non-ASCII names arrive exactly as Windows would hand them over):
 *
 *   api 9                      WebAuthNGetApiVersionNumber()
 *   uvpa 1                     WebAuthNIsUserVerifyingPlatformAuthenticatorAvailable()
 *   uvflag 1                   whether new assertions/attestations carry the UV flag
 *   fail <Export> 0x80090027   that export returns this HRESULT
 *   cred <ver> <id> <rpId> <rpName> <userId> <userName> <displayName> <removable> <backedUp> <authName> <logo> <thirdParty> <transports>
 *   auth <id> <name> <logo> <locked>
 *
 * The file is re-read on every call and rewritten after a delete or a new credential.
 */
#define _GNU_SOURCE
#include "fake-webauthn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char scenario_path[4096];
static FakeScenario *current;

__attribute__((visibility("default"))) void FakeWebAuthn_SetScenarioPath(const char *path) {
  snprintf(scenario_path, sizeof scenario_path, "%s", path ? path : "");
}

static const char *path_now(void) {
  if (scenario_path[0]) return scenario_path;
  const char *env = getenv("FAKE_WEBAUTHN_SCENARIO");
  return env && env[0] ? env : NULL;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Hex → bytes (NULL for '-', a zero-length non-NULL block for '.'). */
static BYTE *parse_bytes(const char *tok, DWORD *len) {
  *len = 0;
  if (!tok || strcmp(tok, "-") == 0) return NULL;
  if (strcmp(tok, ".") == 0) return calloc(1, 1);
  size_t n = strlen(tok) / 2;
  BYTE *out = calloc(n + 2, 1); /* +2: room for a UTF-16 NUL when used as a string */
  for (size_t i = 0; i < n; i++) out[i] = (BYTE)(hexval(tok[2 * i]) << 4 | hexval(tok[2 * i + 1]));
  *len = (DWORD)n;
  return out;
}

static WCHAR *parse_u16(const char *tok) {
  DWORD len;
  BYTE *b = parse_bytes(tok, &len);
  if (!b) return NULL;
  WCHAR *s = calloc(len / 2 + 1, sizeof(WCHAR));
  for (DWORD i = 0; i + 1 < len; i += 2) s[i / 2] = (WCHAR)(b[i] | b[i + 1] << 8);
  free(b);
  return s;
}

static void free_scenario(FakeScenario *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nCreds; i++) {
    FakeCred *c = &s->creds[i];
    free(c->id); free(c->rpId); free(c->rpName); free(c->userId); free(c->userName); free(c->displayName);
    free(c->authName); free(c->logo); free(c->line);
  }
  for (size_t i = 0; i < s->nAuths; i++) { free(s->auths[i].id); free(s->auths[i].name); free(s->auths[i].logo); }
  for (size_t i = 0; i < s->nOther; i++) free(s->other[i]);
  free(s);
}

static void parse_line(FakeScenario *s, char *line) {
  char *copy = strdup(line);
  char *tok[16] = {0};
  int n = 0;
  for (char *t = strtok(line, " \t\r\n"); t && n < 16; t = strtok(NULL, " \t\r\n")) tok[n++] = t;
  if (n == 0 || tok[0][0] == '#') { free(copy); return; }
  if (strcmp(tok[0], "cred") == 0 && n >= 14 && s->nCreds < FAKE_MAX_CREDS) {
    FakeCred *c = &s->creds[s->nCreds++];
    c->version = (DWORD)strtoul(tok[1], NULL, 0);
    c->id = parse_bytes(tok[2], &c->cbId);
    c->rpId = parse_u16(tok[3]);
    c->rpName = parse_u16(tok[4]);
    c->userId = parse_bytes(tok[5], &c->cbUserId);
    c->userName = parse_u16(tok[6]);
    c->displayName = parse_u16(tok[7]);
    c->removable = atoi(tok[8]);
    c->backedUp = atoi(tok[9]);
    c->authName = parse_u16(tok[10]);
    c->logo = parse_bytes(tok[11], &c->cbLogo);
    c->thirdParty = atoi(tok[12]);
    c->transports = (DWORD)strtoul(tok[13], NULL, 0);
    c->line = copy;
    return;
  }
  if (strcmp(tok[0], "auth") == 0 && n >= 5 && s->nAuths < FAKE_MAX_AUTHS) {
    FakeAuth *a = &s->auths[s->nAuths++];
    a->id = parse_bytes(tok[1], &a->cbId);
    a->name = parse_u16(tok[2]);
    a->logo = parse_bytes(tok[3], &a->cbLogo);
    a->locked = atoi(tok[4]);
  } else if (strcmp(tok[0], "api") == 0 && n >= 2) {
    s->api = (DWORD)strtoul(tok[1], NULL, 0);
  } else if (strcmp(tok[0], "uvpa") == 0 && n >= 2) {
    s->uvpa = atoi(tok[1]);
  } else if (strcmp(tok[0], "uvflag") == 0 && n >= 2) {
    s->uvFlag = atoi(tok[1]);
  } else if (strcmp(tok[0], "fail") == 0 && n >= 3 && s->nFails < FAKE_MAX_FAILS) {
    snprintf(s->failName[s->nFails], sizeof s->failName[0], "%s", tok[1]);
    s->failHr[s->nFails++] = (HRESULT)strtoul(tok[2], NULL, 0);
  }
  if (s->nOther < 64) s->other[s->nOther++] = copy; else free(copy);
}

FakeScenario *fake_load(void) {
  free_scenario(current);
  current = calloc(1, sizeof *current);
  current->api = 9;
  current->uvpa = 1;
  current->uvFlag = 1;
  const char *path = path_now();
  FILE *f = path ? fopen(path, "r") : NULL;
  if (!f) return current;
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) parse_line(current, line);
  free(line);
  fclose(f);
  return current;
}

void fake_save(const FakeScenario *s) {
  const char *path = path_now();
  if (!path) return;
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f) return;
  for (size_t i = 0; i < s->nOther; i++) fputs(s->other[i], f), fputs(strchr(s->other[i], '\n') ? "" : "\n", f);
  for (size_t i = 0; i < s->nCreds; i++) fputs(s->creds[i].line, f), fputs(strchr(s->creds[i].line, '\n') ? "" : "\n", f);
  fclose(f);
  rename(tmp, path);
}

HRESULT fake_failure(const FakeScenario *s, const char *function) {
  for (size_t i = 0; i < s->nFails; i++)
    if (strcmp(s->failName[i], function) == 0) return s->failHr[i];
  return S_OK;
}

/* ---- trace and counters, read by the tests through FakeWebAuthn_Trace / FakeWebAuthn_Stats ---- */

static char *trace_buf;
static size_t trace_len, trace_cap;
static long long allocs[FAKE_KIND_COUNT], frees[FAKE_KIND_COUNT], bad_frees, gate_violations;

void fake_trace(const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n > sizeof line - 2) n = (int)sizeof line - 2;
  line[n++] = '\n';
  if (trace_len + (size_t)n + 1 > trace_cap) {
    trace_cap = (trace_len + (size_t)n + 1) * 2;
    trace_buf = realloc(trace_buf, trace_cap);
  }
  memcpy(trace_buf + trace_len, line, (size_t)n);
  trace_len += (size_t)n;
  trace_buf[trace_len] = 0;
}

void fake_gate(const FakeScenario *s, DWORD minApi, const char *function) {
  if (s->api < minApi) {
    gate_violations++;
    fake_trace("GATE-VIOLATION %s needs API %u, scenario has %u", function, minApi, s->api);
  }
}

__attribute__((visibility("default"))) const char *FakeWebAuthn_Trace(void) { return trace_buf ? trace_buf : ""; }

__attribute__((visibility("default"))) const char *FakeWebAuthn_Stats(void) {
  static char out[512];
  snprintf(out, sizeof out,
           "credListAllocs=%lld credListFrees=%lld authListAllocs=%lld authListFrees=%lld assertionAllocs=%lld "
           "assertionFrees=%lld attestationAllocs=%lld attestationFrees=%lld badFrees=%lld gateViolations=%lld",
           allocs[FAKE_CRED_LIST], frees[FAKE_CRED_LIST], allocs[FAKE_AUTH_LIST], frees[FAKE_AUTH_LIST],
           allocs[FAKE_ASSERTION], frees[FAKE_ASSERTION], allocs[FAKE_ATTESTATION], frees[FAKE_ATTESTATION], bad_frees,
           gate_violations);
  return out;
}

__attribute__((visibility("default"))) void FakeWebAuthn_Reset(void) {
  trace_len = 0;
  if (trace_buf) trace_buf[0] = 0;
  memset(allocs, 0, sizeof allocs);
  memset(frees, 0, sizeof frees);
  bad_frees = gate_violations = 0;
}

#define FAKE_MAX_LIVE 8192
static struct { enum FakeKind kind; void *handed; void *owner; } live[FAKE_MAX_LIVE];
static size_t n_live;

void fake_register(enum FakeKind kind, void *handed, void *owner) {
  allocs[kind]++;
  if (n_live < FAKE_MAX_LIVE) live[n_live].kind = kind, live[n_live].handed = handed, live[n_live++].owner = owner;
}

void *fake_unregister(enum FakeKind kind, void *handed) {
  for (size_t i = 0; i < n_live; i++) {
    if (live[i].handed == handed && live[i].kind == kind) {
      void *owner = live[i].owner;
      live[i] = live[--n_live];
      frees[kind]++;
      return owner;
    }
  }
  bad_frees++;
  fake_trace("BAD-FREE kind=%d ptr=%p", (int)kind, handed);
  return NULL;
}

/* ---- memory and string helpers ---- */

void *guarded_alloc(size_t size) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t span = ((size + page - 1) / page) * page;
  BYTE *base = mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return NULL;
  mprotect(base + span, page, PROT_NONE);
  BYTE *p = base + span - size;
  memset(p, 0, size);
  return p;
}

void guarded_free(void *p, size_t size) {
  if (!p) return;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t span = ((size + page - 1) / page) * page;
  BYTE *base = (BYTE *)p + size - span;
  munmap(base, span + page);
}

size_t u16len(const WCHAR *s) { size_t n = 0; while (s && s[n]) n++; return n; }

WCHAR *u16dup(const WCHAR *s) {
  if (!s) return NULL;
  size_t n = u16len(s);
  WCHAR *d = malloc((n + 1) * sizeof(WCHAR));
  memcpy(d, s, (n + 1) * sizeof(WCHAR));
  return d;
}

int u16eq(const WCHAR *a, const WCHAR *b) {
  if (!a || !b) return a == b;
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

size_t u16_to_utf8(const WCHAR *s, char *out, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; s && s[i] && o + 4 < cap; i++) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c < 0xDC00 && s[i + 1] >= 0xDC00 && s[i + 1] < 0xE000) c = 0x10000 + ((c - 0xD800) << 10) + (s[++i] - 0xDC00);
    if (c < 0x80) out[o++] = (char)c;
    else if (c < 0x800) out[o++] = (char)(0xC0 | c >> 6), out[o++] = (char)(0x80 | (c & 63));
    else if (c < 0x10000) out[o++] = (char)(0xE0 | c >> 12), out[o++] = (char)(0x80 | (c >> 6 & 63)), out[o++] = (char)(0x80 | (c & 63));
    else out[o++] = (char)(0xF0 | c >> 18), out[o++] = (char)(0x80 | (c >> 12 & 63)), out[o++] = (char)(0x80 | (c >> 6 & 63)), out[o++] = (char)(0x80 | (c & 63));
  }
  out[o] = 0;
  return o;
}
