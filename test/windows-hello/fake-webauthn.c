/*
 * The exports of webauthn.dll (webauthn.h, API v9), served from the scenario in fake-scenario.c. Every output
 * struct is allocated at exactly the size of the version it reports, flush against an unreadable page, so a
 * binding that reads a field the version does not have crashes the test instead of passing by luck.
 * Build: gcc -std=c11 -shared -fPIC -o libfakewebauthn.so fake-webauthn.c fake-scenario.c fake-ceremonies.c fake-sha256.c
 * -DFAKE_NO_API_VERSION_EXPORT builds the variant of the first Windows 10 DLLs without WebAuthNGetApiVersionNumber.
 */
#define _GNU_SOURCE
#include "fake-webauthn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))



#ifndef FAKE_NO_API_VERSION_EXPORT
EXPORT DWORD WebAuthNGetApiVersionNumber(void) {
  FakeScenario *s = fake_load();
  fake_trace("GetApiVersionNumber -> %u", s->api);
  return s->api;
}
#endif

EXPORT HRESULT WebAuthNIsUserVerifyingPlatformAuthenticatorAvailable(BOOL *pbIsAvailable) {
  FakeScenario *s = fake_load();
  HRESULT hr = fake_failure(s, "WebAuthNIsUserVerifyingPlatformAuthenticatorAvailable");
  if (hr) return hr;
  if (!pbIsAvailable) return NTE_INVALID_PARAMETER;
  *pbIsAvailable = s->uvpa ? 1 : 0;
  return S_OK;
}

EXPORT PCWSTR WebAuthNGetErrorName(HRESULT hr) {
  switch ((uint32_t)hr) {
    case 0: return u"Success";
    case 0x8009000Fu: return u"InvalidStateError";
    case 0x80090027u: return u"NotSupportedError";
    case 0x80090011u: case 0x80090036u: case 0x800704C7u: case 0x800705B4u: case 0x80090035u: return u"NotAllowedError";
    default: return u"UnknownError";
  }
}

/* ---- list / delete (API 4) ---- */

typedef struct {
  WEBAUTHN_CREDENTIAL_DETAILS_LIST list;
  size_t n;
  WEBAUTHN_CREDENTIAL_DETAILS **items;
  WEBAUTHN_RP_ENTITY_INFORMATION *rps;
  WEBAUTHN_USER_ENTITY_INFORMATION *users;
} CredListBlock;

EXPORT HRESULT WebAuthNGetPlatformCredentialList(const WEBAUTHN_GET_CREDENTIALS_OPTIONS *pOptions,
                                                 WEBAUTHN_CREDENTIAL_DETAILS_LIST **ppOut) {
  FakeScenario *s = fake_load();
  fake_gate(s, 4, "WebAuthNGetPlatformCredentialList");
  char rp[512] = "(all)";
  if (pOptions && pOptions->pwszRpId) u16_to_utf8(pOptions->pwszRpId, rp, sizeof rp);
  fake_trace("GetPlatformCredentialList version=%u rpId=%s private=%d", pOptions ? pOptions->dwVersion : 0, rp,
             pOptions ? pOptions->bBrowserInPrivateMode : -1);
  if (!pOptions || pOptions->dwVersion != 1 || !ppOut) return NTE_INVALID_PARAMETER;
  HRESULT hr = fake_failure(s, "WebAuthNGetPlatformCredentialList");
  if (hr) return hr;
  size_t n = 0;
  for (size_t i = 0; i < s->nCreds; i++) n += !pOptions->pwszRpId || u16eq(pOptions->pwszRpId, s->creds[i].rpId);
  if (n == 0) return NTE_NOT_FOUND; /* webauthn.h: "returns NTE_NOT_FOUND when credentials are not found" */
  CredListBlock *b = calloc(1, sizeof *b);
  b->n = n;
  b->items = calloc(n, sizeof *b->items);
  b->rps = calloc(n, sizeof *b->rps);
  b->users = calloc(n, sizeof *b->users);
  size_t k = 0;
  for (size_t i = 0; i < s->nCreds; i++) {
    FakeCred *c = &s->creds[i];
    if (pOptions->pwszRpId && !u16eq(pOptions->pwszRpId, c->rpId)) continue;
    WEBAUTHN_CREDENTIAL_DETAILS *d = guarded_alloc(details_size(c->version));
    /* Write field by field: a v1 block is 40 bytes, so v3+ members must not even be touched. */
    d->dwVersion = c->version;
    d->cbCredentialID = c->cbId;
    d->pbCredentialID = dup_bytes(c->id, c->cbId);
    b->rps[k] = (WEBAUTHN_RP_ENTITY_INFORMATION){1, u16dup(c->rpId), u16dup(c->rpName), NULL};
    b->users[k] = (WEBAUTHN_USER_ENTITY_INFORMATION){1, c->cbUserId, dup_bytes(c->userId, c->cbUserId),
                                                     u16dup(c->userName), NULL, u16dup(c->displayName)};
    d->pRpInformation = &b->rps[k];
    d->pUserInformation = &b->users[k];
    d->bRemovable = c->removable;
    if (c->version >= 2) d->bBackedUp = c->backedUp;
    if (c->version >= 3) {
      d->pwszAuthenticatorName = u16dup(c->authName);
      d->cbAuthenticatorLogo = c->cbLogo;
      d->pbAuthenticatorLogo = dup_bytes(c->logo, c->cbLogo);
      d->bThirdPartyPayment = c->thirdParty;
    }
    if (c->version >= 4) d->dwTransports = c->transports;
    b->items[k++] = d;
  }
  b->list.cCredentialDetails = (DWORD)n;
  b->list.ppCredentialDetails = b->items;
  fake_register(FAKE_CRED_LIST, &b->list, b);
  *ppOut = &b->list;
  return S_OK;
}

EXPORT void WebAuthNFreePlatformCredentialList(WEBAUTHN_CREDENTIAL_DETAILS_LIST *pList) {
  FakeScenario *s = fake_load();
  fake_gate(s, 4, "WebAuthNFreePlatformCredentialList");
  fake_trace("FreePlatformCredentialList");
  if (!pList) return;
  CredListBlock *b = fake_unregister(FAKE_CRED_LIST, pList);
  if (!b) return;
  for (size_t i = 0; i < b->n; i++) {
    WEBAUTHN_CREDENTIAL_DETAILS *d = b->items[i];
    free(d->pbCredentialID);
    if (d->dwVersion >= 3) free((void *)d->pwszAuthenticatorName), free(d->pbAuthenticatorLogo);
    free((void *)b->rps[i].pwszId), free((void *)b->rps[i].pwszName);
    free(b->users[i].pbId), free((void *)b->users[i].pwszName), free((void *)b->users[i].pwszDisplayName);
    guarded_free(d, details_size(d->dwVersion));
  }
  free(b->items), free(b->rps), free(b->users), free(b);
}

EXPORT HRESULT WebAuthNDeletePlatformCredential(DWORD cbCredentialId, const BYTE *pbCredentialId) {
  FakeScenario *s = fake_load();
  fake_gate(s, 4, "WebAuthNDeletePlatformCredential");
  fake_trace("DeletePlatformCredential cb=%u", cbCredentialId);
  if (!pbCredentialId || cbCredentialId == 0) return NTE_INVALID_PARAMETER;
  HRESULT hr = fake_failure(s, "WebAuthNDeletePlatformCredential");
  if (hr) return hr;
  for (size_t i = 0; i < s->nCreds; i++) {
    FakeCred *c = &s->creds[i];
    if (c->cbId != cbCredentialId || memcmp(c->id, pbCredentialId, cbCredentialId) != 0) continue;
    if (!c->removable) return NTE_NOT_SUPPORTED;
    free(c->line);
    c->line = strdup("# deleted\n");
    fake_save(s);
    return S_OK;
  }
  return NTE_NOT_FOUND;
}

/* ---- authenticators (API 9) ---- */

typedef struct {
  WEBAUTHN_AUTHENTICATOR_DETAILS_LIST list;
  size_t n;
  WEBAUTHN_AUTHENTICATOR_DETAILS **items;
} AuthListBlock;

EXPORT HRESULT WebAuthNGetAuthenticatorList(const WEBAUTHN_AUTHENTICATOR_DETAILS_OPTIONS *pOptions,
                                            WEBAUTHN_AUTHENTICATOR_DETAILS_LIST **ppOut) {
  FakeScenario *s = fake_load();
  fake_gate(s, 9, "WebAuthNGetAuthenticatorList");
  fake_trace("GetAuthenticatorList version=%u", pOptions ? pOptions->dwVersion : 0);
  if ((pOptions && pOptions->dwVersion != 1) || !ppOut) return NTE_INVALID_PARAMETER;
  HRESULT hr = fake_failure(s, "WebAuthNGetAuthenticatorList");
  if (hr) return hr;
  if (s->nAuths == 0) return NTE_NOT_FOUND;
  AuthListBlock *b = calloc(1, sizeof *b);
  b->n = s->nAuths;
  b->items = calloc(b->n, sizeof *b->items);
  for (size_t i = 0; i < b->n; i++) {
    FakeAuth *a = &s->auths[i];
    WEBAUTHN_AUTHENTICATOR_DETAILS *d = guarded_alloc(sizeof *d);
    *d = (WEBAUTHN_AUTHENTICATOR_DETAILS){1, a->cbId, dup_bytes(a->id, a->cbId), u16dup(a->name), a->cbLogo,
                                          dup_bytes(a->logo, a->cbLogo), a->locked};
    b->items[i] = d;
  }
  b->list.cAuthenticatorDetails = (DWORD)b->n;
  b->list.ppAuthenticatorDetails = b->items;
  fake_register(FAKE_AUTH_LIST, &b->list, b);
  *ppOut = &b->list;
  return S_OK;
}

EXPORT void WebAuthNFreeAuthenticatorList(WEBAUTHN_AUTHENTICATOR_DETAILS_LIST *pList) {
  FakeScenario *s = fake_load();
  fake_gate(s, 9, "WebAuthNFreeAuthenticatorList");
  if (!pList) return;
  AuthListBlock *b = fake_unregister(FAKE_AUTH_LIST, pList);
  if (!b) return;
  for (size_t i = 0; i < b->n; i++) {
    free(b->items[i]->pbAuthenticatorId), free((void *)b->items[i]->pwszAuthenticatorName);
    free(b->items[i]->pbAuthenticatorLogo), guarded_free(b->items[i], sizeof *b->items[i]);
  }
  free(b->items), free(b);
}

/* ---- cancellation (API 1) ---- */

EXPORT HRESULT WebAuthNGetCancellationId(GUID *pCancellationId) {
  if (!pCancellationId) return NTE_INVALID_PARAMETER;
  static uint32_t next = 1;
  *pCancellationId = (GUID){next++, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
  fake_trace("GetCancellationId -> %u", pCancellationId->Data1);
  return S_OK;
}

EXPORT HRESULT WebAuthNCancelCurrentOperation(const GUID *pCancellationId) {
  fake_trace("CancelCurrentOperation %u", pCancellationId ? pCancellationId->Data1 : 0);
  return pCancellationId ? S_OK : NTE_INVALID_PARAMETER;
}
