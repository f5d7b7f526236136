/*
 * WebAuthNAuthenticatorMakeCredential / GetAssertion of the stand-in. Like an older webauthn.dll, it refuses an
 * options struct whose dwVersion is newer than its API level allows (so the binding must clamp), reads only the
 * option fields that exist at the version it was given, and returns results allocated at exactly their
 * version's size. No real signature: the authenticator data (rpIdHash, flags, counter) is what the binding checks.
 */
#define _GNU_SOURCE
#include "fake-webauthn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))



/* rpIdHash ‖ flags ‖ signCount (WebAuthn §6.1): UP always, UV when the scenario says the user was verified. */
static BYTE *auth_data(const FakeScenario *s, PCWSTR rpId, DWORD *len) {
  char utf8[1024];
  size_t n = u16_to_utf8(rpId, utf8, sizeof utf8);
  BYTE *out = calloc(37, 1);
  sha256((const BYTE *)utf8, n, out);
  out[32] = (BYTE)(0x01 | (s->uvFlag ? 0x04 : 0));
  out[36] = 1;
  *len = 37;
  return out;
}

static void hex(char *out, const BYTE *p, size_t n) {
  if (!p) { strcpy(out, "-"); return; }
  if (n == 0) { strcpy(out, "."); return; }
  for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]);
}
static void hex16(char *out, PCWSTR s) {
  if (!s) { strcpy(out, "-"); return; }
  size_t n = u16len(s);
  if (n == 0) { strcpy(out, "."); return; }
  for (size_t i = 0; i < n; i++) sprintf(out + 4 * i, "%02x%02x", s[i] & 0xff, s[i] >> 8);
}

static int valid_client_data(const WEBAUTHN_CLIENT_DATA *cd) {
  return cd && cd->dwVersion == 1 && cd->cbClientDataJSON > 0 && cd->pbClientDataJSON && u16eq(cd->pwszHashAlgId, u"SHA-256");
}

static int same_id(const FakeCred *c, const BYTE *id, DWORD cb) { return c->cbId == cb && id && memcmp(c->id, id, cb) == 0; }

EXPORT HRESULT WebAuthNAuthenticatorMakeCredential(HWND hWnd, const WEBAUTHN_RP_ENTITY_INFORMATION *pRp,
                                                   const WEBAUTHN_USER_ENTITY_INFORMATION *pUser,
                                                   const WEBAUTHN_COSE_CREDENTIAL_PARAMETERS *pParams,
                                                   const WEBAUTHN_CLIENT_DATA *pClientData,
                                                   const WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS *pOptions,
                                                   WEBAUTHN_CREDENTIAL_ATTESTATION **ppOut) {
  FakeScenario *s = fake_load();
  if (!pRp || pRp->dwVersion != 1 || !pRp->pwszId || !pUser || pUser->dwVersion != 1 || pUser->cbId == 0 ||
      pUser->cbId > 64 || !pParams || pParams->cCredentialParameters == 0 || !valid_client_data(pClientData) || !ppOut)
    return NTE_INVALID_PARAMETER;
  for (DWORD i = 0; i < pParams->cCredentialParameters; i++) {
    const WEBAUTHN_COSE_CREDENTIAL_PARAMETER *p = &pParams->pCredentialParameters[i];
    if (p->dwVersion != 1 || !u16eq(p->pwszCredentialType, u"public-key")) return NTE_INVALID_PARAMETER;
  }
  DWORD ver = pOptions ? pOptions->dwVersion : 0, attach = 0, uv = 0, excluded = 0;
  BOOL rk = 0, prk = 0, cancel = 0;
  if (pOptions) {
    if (ver < 1 || ver > mc_options_max(s->api)) {
      fake_trace("MakeCredential REJECTED options version %u > %u", ver, mc_options_max(s->api));
      return NTE_INVALID_PARAMETER;
    }
    attach = pOptions->dwAuthenticatorAttachment, uv = pOptions->dwUserVerificationRequirement;
    rk = pOptions->bRequireResidentKey;
    if (ver >= 2) cancel = pOptions->pCancellationId != NULL;
    if (ver >= 3 && pOptions->pExcludeCredentialList) {
      const WEBAUTHN_CREDENTIAL_LIST *ex = pOptions->pExcludeCredentialList;
      for (DWORD i = 0; i < ex->cCredentials; i++)
        for (size_t j = 0; j < s->nCreds; j++)
          if (u16eq(s->creds[j].rpId, pRp->pwszId) && same_id(&s->creds[j], ex->ppCredentials[i]->pbId, ex->ppCredentials[i]->cbId)) excluded++;
    }
    if (ver >= 4) prk = pOptions->bPreferResidentKey;
  }
  char rp[512];
  u16_to_utf8(pRp->pwszId, rp, sizeof rp);
  fake_trace("MakeCredential hwnd=%lld rpId=%s options=%u attach=%u uv=%u rk=%d prk=%d cancel=%d alg=%d clientData=%u",
             (long long)hWnd, rp, ver, attach, uv, rk, prk, cancel, pParams->pCredentialParameters[0].lAlg,
             pClientData->cbClientDataJSON);
  HRESULT hr = fake_failure(s, "WebAuthNAuthenticatorMakeCredential");
  if (hr) return hr;
  if (excluded) return NTE_EXISTS;

  BYTE id[16] = {0xfa, 0xce};
  for (int i = 2; i < 16; i++) id[i] = (BYTE)rand();
  if (s->api >= 4 && s->nCreds < FAKE_MAX_CREDS) {
    FakeCred *c = &s->creds[s->nCreds++];
    memset(c, 0, sizeof *c);
    size_t cap = 4096 + 4 * (u16len(pRp->pwszName) + u16len(pUser->pwszName) + u16len(pUser->pwszDisplayName) + u16len(pRp->pwszId));
    char *line = malloc(cap), *h[7];
    for (int i = 0; i < 7; i++) h[i] = malloc(cap / 2);
    hex(h[0], id, 16), hex16(h[1], pRp->pwszId), hex16(h[2], pRp->pwszName), hex(h[3], pUser->pbId, pUser->cbId);
    hex16(h[4], pUser->pwszName), hex16(h[5], pUser->pwszDisplayName), hex16(h[6], u"Windows Hello");
    snprintf(line, cap, "cred %u %s %s %s %s %s %s 1 0 %s - 0 16\n", details_version(s->api), h[0], h[1], h[2], h[3], h[4],
             h[5], details_version(s->api) >= 3 ? h[6] : "-");
    for (int i = 0; i < 7; i++) free(h[i]);
    c->line = line;
    fake_save(s);
  }

  DWORD v = attestation_version(s->api);
  WEBAUTHN_CREDENTIAL_ATTESTATION *a = guarded_alloc(attestation_size(v));
  a->dwVersion = v;
  a->pwszFormatType = u16dup(u"none");
  a->pbAuthenticatorData = auth_data(s, pRp->pwszId, &a->cbAuthenticatorData);
  a->cbCredentialId = 16;
  a->pbCredentialId = dup_bytes(id, 16);
  if (v >= 3) a->dwUsedTransport = 0x10;
  if (v >= 4) a->bResidentKey = rk || prk;
  fake_register(FAKE_ATTESTATION, a, a);
  *ppOut = a;
  return S_OK;
}

EXPORT void WebAuthNFreeCredentialAttestation(WEBAUTHN_CREDENTIAL_ATTESTATION *p) {
  if (!p || !fake_unregister(FAKE_ATTESTATION, p)) return;
  free((void *)p->pwszFormatType), free(p->pbAuthenticatorData), free(p->pbCredentialId);
  guarded_free(p, attestation_size(p->dwVersion));
}

static int allowed(const WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS *o, DWORD ver, const FakeCred *c, DWORD *count) {
  /* webauthn.h: pAllowCredentialList (v4) is used instead of CredentialList when it is present. */
  if (ver >= 4 && o->pAllowCredentialList) {
    *count = o->pAllowCredentialList->cCredentials;
    for (DWORD i = 0; i < *count; i++)
      if (same_id(c, o->pAllowCredentialList->ppCredentials[i]->pbId, o->pAllowCredentialList->ppCredentials[i]->cbId)) return 1;
    return *count == 0;
  }
  *count = o ? o->CredentialList.cCredentials : 0;
  for (DWORD i = 0; i < *count; i++)
    if (same_id(c, o->CredentialList.pCredentials[i].pbId, o->CredentialList.pCredentials[i].cbId)) return 1;
  return *count == 0;
}

EXPORT HRESULT WebAuthNAuthenticatorGetAssertion(HWND hWnd, PCWSTR pwszRpId, const WEBAUTHN_CLIENT_DATA *pClientData,
                                                 const WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS *pOptions,
                                                 WEBAUTHN_ASSERTION **ppOut) {
  FakeScenario *s = fake_load();
  if (!pwszRpId || !valid_client_data(pClientData) || !ppOut) return NTE_INVALID_PARAMETER;
  DWORD ver = pOptions ? pOptions->dwVersion : 0;
  if (pOptions && (ver < 1 || ver > ga_options_max(s->api))) {
    fake_trace("GetAssertion REJECTED options version %u > %u", ver, ga_options_max(s->api));
    return NTE_INVALID_PARAMETER;
  }
  const FakeCred *found = NULL;
  DWORD allowCount = 0;
  for (size_t i = 0; i < s->nCreds && !found; i++)
    if (u16eq(s->creds[i].rpId, pwszRpId) && (!pOptions || allowed(pOptions, ver, &s->creds[i], &allowCount))) found = &s->creds[i];
  char rp[512];
  u16_to_utf8(pwszRpId, rp, sizeof rp);
  fake_trace("GetAssertion hwnd=%lld rpId=%s options=%u attach=%u uv=%u allow=%u allowEx=%d cancel=%d clientData=%u",
             (long long)hWnd, rp, ver, pOptions ? pOptions->dwAuthenticatorAttachment : 0,
             pOptions ? pOptions->dwUserVerificationRequirement : 0, allowCount,
             ver >= 4 && pOptions->pAllowCredentialList != NULL, ver >= 3 && pOptions->pCancellationId != NULL,
             pClientData->cbClientDataJSON);
  HRESULT hr = fake_failure(s, "WebAuthNAuthenticatorGetAssertion");
  if (hr) return hr;
  if (!found) return NTE_NOT_FOUND;

  DWORD v = assertion_version(s->api);
  WEBAUTHN_ASSERTION *a = guarded_alloc(assertion_size(v));
  a->dwVersion = v;
  a->pbAuthenticatorData = auth_data(s, pwszRpId, &a->cbAuthenticatorData);
  a->cbSignature = 14;
  a->pbSignature = dup_bytes((const BYTE *)"fake-signature", 14);
  a->Credential = (WEBAUTHN_CREDENTIAL){1, found->cbId, dup_bytes(found->id, found->cbId), u16dup(u"public-key")};
  a->cbUserId = found->cbUserId;
  a->pbUserId = dup_bytes(found->userId, found->cbUserId);
  if (v >= 4) a->dwUsedTransport = 0x10;
  if (v >= 6) {
    a->cbClientDataJSON = pClientData->cbClientDataJSON;
    a->pbClientDataJSON = dup_bytes(pClientData->pbClientDataJSON, pClientData->cbClientDataJSON);
  }
  fake_register(FAKE_ASSERTION, a, a);
  *ppOut = a;
  return S_OK;
}

EXPORT void WebAuthNFreeAssertion(WEBAUTHN_ASSERTION *p) {
  if (!p || !fake_unregister(FAKE_ASSERTION, p)) return;
  free(p->pbAuthenticatorData), free(p->pbSignature), free(p->Credential.pbId), free((void *)p->Credential.pwszCredentialType);
  free(p->pbUserId);
  if (p->dwVersion >= 6) free(p->pbClientDataJSON);
  guarded_free(p, assertion_size(p->dwVersion));
}
