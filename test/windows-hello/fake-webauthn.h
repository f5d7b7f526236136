/*
 * Stand-in for webauthn.dll on Linux x86-64: the same exports, the same struct layouts (webauthn.h, API v9),
 * with the Windows types mapped to fixed-width ones (os-apis.md §1.0): DWORD uint32_t, BOOL int32_t (never C
 * bool), LONG/HRESULT int32_t (never long, which is 8 bytes here), WCHAR char16_t (never wchar_t, 4 bytes here).
 * The _Static_asserts below pin every size and offset the binding relies on to the x64 header values.
 */
#ifndef FAKE_WEBAUTHN_H
#define FAKE_WEBAUTHN_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

typedef uint32_t DWORD;
typedef int32_t BOOL;
typedef int32_t HRESULT;
typedef int32_t LONG;
typedef uint8_t BYTE;
typedef char16_t WCHAR;
typedef const WCHAR *PCWSTR;
typedef intptr_t HWND;

typedef struct { uint32_t Data1; uint16_t Data2; uint16_t Data3; uint8_t Data4[8]; } GUID;

#define S_OK ((HRESULT)0)
#define E_NOTIMPL ((HRESULT)0x80004001u)
#define NTE_EXISTS ((HRESULT)0x8009000Fu)
#define NTE_NOT_FOUND ((HRESULT)0x80090011u)
#define NTE_INVALID_PARAMETER ((HRESULT)0x80090027u)
#define NTE_NOT_SUPPORTED ((HRESULT)0x80090029u)
#define NTE_USER_CANCELLED ((HRESULT)0x80090036u)

typedef struct { DWORD dwVersion; PCWSTR pwszRpId; BOOL bBrowserInPrivateMode; } WEBAUTHN_GET_CREDENTIALS_OPTIONS;
typedef struct { DWORD dwVersion; PCWSTR pwszId; PCWSTR pwszName; PCWSTR pwszIcon; } WEBAUTHN_RP_ENTITY_INFORMATION;
typedef struct {
  DWORD dwVersion; DWORD cbId; BYTE *pbId; PCWSTR pwszName; PCWSTR pwszIcon; PCWSTR pwszDisplayName;
} WEBAUTHN_USER_ENTITY_INFORMATION;
typedef struct {
  DWORD dwVersion; DWORD cbCredentialID; BYTE *pbCredentialID;
  WEBAUTHN_RP_ENTITY_INFORMATION *pRpInformation; WEBAUTHN_USER_ENTITY_INFORMATION *pUserInformation;
  BOOL bRemovable;
  BOOL bBackedUp;                                 /* v2 */
  PCWSTR pwszAuthenticatorName; DWORD cbAuthenticatorLogo; BYTE *pbAuthenticatorLogo; BOOL bThirdPartyPayment; /* v3 */
  DWORD dwTransports;                             /* v4 */
} WEBAUTHN_CREDENTIAL_DETAILS;
typedef struct { DWORD cCredentialDetails; WEBAUTHN_CREDENTIAL_DETAILS **ppCredentialDetails; } WEBAUTHN_CREDENTIAL_DETAILS_LIST;
typedef struct { DWORD dwVersion; } WEBAUTHN_AUTHENTICATOR_DETAILS_OPTIONS;
typedef struct {
  DWORD dwVersion; DWORD cbAuthenticatorId; BYTE *pbAuthenticatorId; PCWSTR pwszAuthenticatorName;
  DWORD cbAuthenticatorLogo; BYTE *pbAuthenticatorLogo; BOOL bLocked;
} WEBAUTHN_AUTHENTICATOR_DETAILS;
typedef struct { DWORD cAuthenticatorDetails; WEBAUTHN_AUTHENTICATOR_DETAILS **ppAuthenticatorDetails; } WEBAUTHN_AUTHENTICATOR_DETAILS_LIST;

typedef struct { DWORD dwVersion; DWORD cbClientDataJSON; BYTE *pbClientDataJSON; PCWSTR pwszHashAlgId; } WEBAUTHN_CLIENT_DATA;
typedef struct { DWORD dwVersion; PCWSTR pwszCredentialType; LONG lAlg; } WEBAUTHN_COSE_CREDENTIAL_PARAMETER;
typedef struct { DWORD cCredentialParameters; WEBAUTHN_COSE_CREDENTIAL_PARAMETER *pCredentialParameters; } WEBAUTHN_COSE_CREDENTIAL_PARAMETERS;
typedef struct { DWORD dwVersion; DWORD cbId; BYTE *pbId; PCWSTR pwszCredentialType; } WEBAUTHN_CREDENTIAL;
typedef struct { DWORD cCredentials; WEBAUTHN_CREDENTIAL *pCredentials; } WEBAUTHN_CREDENTIALS;
typedef struct { DWORD dwVersion; DWORD cbId; BYTE *pbId; PCWSTR pwszCredentialType; DWORD dwTransports; } WEBAUTHN_CREDENTIAL_EX;
typedef struct { DWORD cCredentials; WEBAUTHN_CREDENTIAL_EX **ppCredentials; } WEBAUTHN_CREDENTIAL_LIST;
typedef struct { PCWSTR pwszExtensionIdentifier; DWORD cbExtension; void *pvExtension; } WEBAUTHN_EXTENSION;
typedef struct { DWORD cExtensions; WEBAUTHN_EXTENSION *pExtensions; } WEBAUTHN_EXTENSIONS;

typedef struct {
  DWORD dwVersion; DWORD dwTimeoutMilliseconds; WEBAUTHN_CREDENTIALS CredentialList; WEBAUTHN_EXTENSIONS Extensions;
  DWORD dwAuthenticatorAttachment; BOOL bRequireResidentKey; DWORD dwUserVerificationRequirement;
  DWORD dwAttestationConveyancePreference; DWORD dwFlags;
  GUID *pCancellationId;                                                    /* v2 */
  WEBAUTHN_CREDENTIAL_LIST *pExcludeCredentialList;                         /* v3 */
  DWORD dwEnterpriseAttestation; DWORD dwLargeBlobSupport; BOOL bPreferResidentKey; /* v4 */
  BOOL bBrowserInPrivateMode;                                               /* v5 */
  BOOL bEnablePrf;                                                          /* v6 */
  void *pLinkedDevice; DWORD cbJsonExt; BYTE *pbJsonExt;                    /* v7 */
  void *pPRFGlobalEval; DWORD cCredentialHints; PCWSTR *ppwszCredentialHints; BOOL bThirdPartyPayment; /* v8 */
  PCWSTR pwszRemoteWebOrigin; DWORD cbPublicKeyCredentialCreationOptionsJSON; BYTE *pbPublicKeyCredentialCreationOptionsJSON;
  DWORD cbAuthenticatorId; BYTE *pbAuthenticatorId;                         /* v9 */
} WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS;

typedef struct {
  DWORD dwVersion; DWORD dwTimeoutMilliseconds; WEBAUTHN_CREDENTIALS CredentialList; WEBAUTHN_EXTENSIONS Extensions;
  DWORD dwAuthenticatorAttachment; DWORD dwUserVerificationRequirement; DWORD dwFlags;
  PCWSTR pwszU2fAppId; BOOL *pbU2fAppId;                                    /* v2 */
  GUID *pCancellationId;                                                    /* v3 */
  WEBAUTHN_CREDENTIAL_LIST *pAllowCredentialList;                           /* v4 */
  DWORD dwCredLargeBlobOperation; DWORD cbCredLargeBlob; BYTE *pbCredLargeBlob; /* v5 */
  void *pHmacSecretSaltValues; BOOL bBrowserInPrivateMode;                  /* v6 */
  void *pLinkedDevice; BOOL bAutoFill; DWORD cbJsonExt; BYTE *pbJsonExt;    /* v7 */
  DWORD cCredentialHints; PCWSTR *ppwszCredentialHints;                     /* v8 */
  PCWSTR pwszRemoteWebOrigin; DWORD cbPublicKeyCredentialRequestOptionsJSON; BYTE *pbPublicKeyCredentialRequestOptionsJSON;
  DWORD cbAuthenticatorId; BYTE *pbAuthenticatorId;                         /* v9 */
} WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS;

typedef struct {
  DWORD dwVersion; PCWSTR pwszFormatType; DWORD cbAuthenticatorData; BYTE *pbAuthenticatorData;
  DWORD cbAttestation; BYTE *pbAttestation; DWORD dwAttestationDecodeType; void *pvAttestationDecode;
  DWORD cbAttestationObject; BYTE *pbAttestationObject; DWORD cbCredentialId; BYTE *pbCredentialId;
  WEBAUTHN_EXTENSIONS Extensions;                                           /* v2 */
  DWORD dwUsedTransport;                                                    /* v3 */
  BOOL bEpAtt; BOOL bLargeBlobSupported; BOOL bResidentKey;                 /* v4 */
  BOOL bPrfEnabled;                                                         /* v5 */
  DWORD cbUnsignedExtensionOutputs; BYTE *pbUnsignedExtensionOutputs;      /* v6 */
  void *pHmacSecret; BOOL bThirdPartyPayment;                               /* v7 */
  DWORD dwTransports; DWORD cbClientDataJSON; BYTE *pbClientDataJSON;
  DWORD cbRegistrationResponseJSON; BYTE *pbRegistrationResponseJSON;      /* v8 */
} WEBAUTHN_CREDENTIAL_ATTESTATION;

typedef struct {
  DWORD dwVersion; DWORD cbAuthenticatorData; BYTE *pbAuthenticatorData; DWORD cbSignature; BYTE *pbSignature;
  WEBAUTHN_CREDENTIAL Credential; DWORD cbUserId; BYTE *pbUserId;
  WEBAUTHN_EXTENSIONS Extensions; DWORD cbCredLargeBlob; BYTE *pbCredLargeBlob; DWORD dwCredLargeBlobStatus; /* v2 */
  void *pHmacSecret;                                                        /* v3 */
  DWORD dwUsedTransport;                                                    /* v4 */
  DWORD cbUnsignedExtensionOutputs; BYTE *pbUnsignedExtensionOutputs;      /* v5 */
  DWORD cbClientDataJSON; BYTE *pbClientDataJSON; DWORD cbAuthenticationResponseJSON; BYTE *pbAuthenticationResponseJSON; /* v6 */
} WEBAUTHN_ASSERTION;

/* x64 sizes and offsets from os-apis.md §1.6/§1.7. */
_Static_assert(sizeof(GUID) == 16, "GUID");
_Static_assert(sizeof(WEBAUTHN_GET_CREDENTIALS_OPTIONS) == 24, "GET_CREDENTIALS_OPTIONS");
_Static_assert(sizeof(WEBAUTHN_CREDENTIAL_DETAILS_LIST) == 16, "CREDENTIAL_DETAILS_LIST");
_Static_assert(sizeof(WEBAUTHN_CREDENTIAL_DETAILS) == 72, "CREDENTIAL_DETAILS");
_Static_assert(offsetof(WEBAUTHN_CREDENTIAL_DETAILS, bBackedUp) == 36, "bBackedUp");
_Static_assert(offsetof(WEBAUTHN_CREDENTIAL_DETAILS, pwszAuthenticatorName) == 40, "pwszAuthenticatorName");
_Static_assert(offsetof(WEBAUTHN_CREDENTIAL_DETAILS, pbAuthenticatorLogo) == 56, "pbAuthenticatorLogo");
_Static_assert(offsetof(WEBAUTHN_CREDENTIAL_DETAILS, bThirdPartyPayment) == 64, "bThirdPartyPayment");
_Static_assert(offsetof(WEBAUTHN_CREDENTIAL_DETAILS, dwTransports) == 68, "dwTransports");
_Static_assert(sizeof(WEBAUTHN_RP_ENTITY_INFORMATION) == 32, "RP_ENTITY_INFORMATION");
_Static_assert(sizeof(WEBAUTHN_USER_ENTITY_INFORMATION) == 40, "USER_ENTITY_INFORMATION");
_Static_assert(sizeof(WEBAUTHN_AUTHENTICATOR_DETAILS) == 48, "AUTHENTICATOR_DETAILS");
_Static_assert(offsetof(WEBAUTHN_AUTHENTICATOR_DETAILS, bLocked) == 40, "bLocked");
_Static_assert(sizeof(WEBAUTHN_AUTHENTICATOR_DETAILS_LIST) == 16, "AUTHENTICATOR_DETAILS_LIST");
_Static_assert(sizeof(WEBAUTHN_CLIENT_DATA) == 24, "CLIENT_DATA");
_Static_assert(sizeof(WEBAUTHN_COSE_CREDENTIAL_PARAMETER) == 24, "COSE_CREDENTIAL_PARAMETER");
_Static_assert(sizeof(WEBAUTHN_CREDENTIAL) == 24, "CREDENTIAL");
_Static_assert(sizeof(WEBAUTHN_CREDENTIAL_EX) == 32, "CREDENTIAL_EX");
_Static_assert(sizeof(WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS) == 200, "MAKE_CREDENTIAL_OPTIONS");
_Static_assert(offsetof(WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS, pCancellationId) == 64, "MC pCancellationId");
_Static_assert(offsetof(WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS, bPreferResidentKey) == 88, "MC bPreferResidentKey");
_Static_assert(offsetof(WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS, pbAuthenticatorId) == 192, "MC pbAuthenticatorId");
_Static_assert(sizeof(WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS) == 200, "GET_ASSERTION_OPTIONS");
_Static_assert(offsetof(WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS, pCancellationId) == 72, "GA pCancellationId");
_Static_assert(offsetof(WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS, pAllowCredentialList) == 80, "GA pAllowCredentialList");
_Static_assert(offsetof(WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS, bAutoFill) == 128, "GA bAutoFill");
_Static_assert(offsetof(WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS, pbAuthenticatorId) == 192, "GA pbAuthenticatorId");
_Static_assert(sizeof(WEBAUTHN_CREDENTIAL_ATTESTATION) == 192, "CREDENTIAL_ATTESTATION");
_Static_assert(offsetof(WEBAUTHN_CREDENTIAL_ATTESTATION, pbCredentialId) == 88, "ATT pbCredentialId");
_Static_assert(offsetof(WEBAUTHN_CREDENTIAL_ATTESTATION, dwUsedTransport) == 112, "ATT dwUsedTransport");
_Static_assert(sizeof(WEBAUTHN_ASSERTION) == 168, "ASSERTION");
_Static_assert(offsetof(WEBAUTHN_ASSERTION, Credential) == 32, "ASSERTION Credential");
_Static_assert(offsetof(WEBAUTHN_ASSERTION, pbUserId) == 64, "ASSERTION pbUserId");
_Static_assert(offsetof(WEBAUTHN_ASSERTION, dwUsedTransport) == 120, "ASSERTION dwUsedTransport");
_Static_assert(offsetof(WEBAUTHN_ASSERTION, pbAuthenticationResponseJSON) == 160, "ASSERTION pbAuthenticationResponseJSON");

/* ---- fake-scenario.c: the scenario the test configured, bookkeeping and helpers ---- */

#define FAKE_MAX_CREDS 4096
#define FAKE_MAX_AUTHS 64
#define FAKE_MAX_FAILS 32

typedef struct {
  DWORD version;
  BYTE *id; DWORD cbId;
  WCHAR *rpId; WCHAR *rpName;
  BYTE *userId; DWORD cbUserId;
  WCHAR *userName; WCHAR *displayName;
  BOOL removable; BOOL backedUp;
  WCHAR *authName; BYTE *logo; DWORD cbLogo;
  BOOL thirdParty; DWORD transports;
  char *line; /* the scenario line, written back when the state changes */
} FakeCred;

typedef struct { BYTE *id; DWORD cbId; WCHAR *name; BYTE *logo; DWORD cbLogo; BOOL locked; } FakeAuth;

typedef struct {
  DWORD api;
  BOOL uvpa;
  BOOL uvFlag;
  size_t nCreds; FakeCred creds[FAKE_MAX_CREDS];
  size_t nAuths; FakeAuth auths[FAKE_MAX_AUTHS];
  size_t nFails; char failName[FAKE_MAX_FAILS][64]; HRESULT failHr[FAKE_MAX_FAILS];
  size_t nOther; char *other[64]; /* non-credential lines kept verbatim */
} FakeScenario;

/* Loads the scenario afresh (the file may have changed between calls, even from another process). */
FakeScenario *fake_load(void);
/* Writes the scenario back (after a delete or a new credential) so that the next process sees it. */
void fake_save(const FakeScenario *s);
HRESULT fake_failure(const FakeScenario *s, const char *function);
void fake_trace(const char *fmt, ...);
void fake_gate(const FakeScenario *s, DWORD minApi, const char *function);

/* Every block handed to the caller is registered, so frees of unknown or already freed pointers are counted. */
enum FakeKind { FAKE_CRED_LIST, FAKE_AUTH_LIST, FAKE_ASSERTION, FAKE_ATTESTATION, FAKE_KIND_COUNT };
void fake_register(enum FakeKind kind, void *handed, void *owner);
void *fake_unregister(enum FakeKind kind, void *handed); /* returns the owner, or NULL when unknown */

/* Allocations placed flush against a PROT_NONE page: reading one byte past `size` faults at once. */
void *guarded_alloc(size_t size);
void guarded_free(void *p, size_t size);

WCHAR *u16dup(const WCHAR *s);
size_t u16len(const WCHAR *s);
int u16eq(const WCHAR *a, const WCHAR *b);
void sha256(const BYTE *data, size_t len, BYTE out[32]);
size_t u16_to_utf8(const WCHAR *s, char *out, size_t cap);

/* Struct versions per API version (os-apis.md §1.1, webauthn.h version comment block). */
static inline DWORD details_version(DWORD api) { return api >= 9 ? 4 : api >= 8 ? 3 : api >= 5 ? 2 : 1; }
static inline DWORD mc_options_max(DWORD api) { return api >= 7 ? api : api == 6 ? 6 : api >= 4 ? 5 : api == 3 ? 4 : 3; }
static inline DWORD ga_options_max(DWORD api) { return api >= 7 ? api : api >= 4 ? 6 : api == 3 ? 5 : 4; }
static inline DWORD attestation_version(DWORD api) { return api >= 9 ? 8 : api >= 6 ? api - 1 : api >= 3 ? 4 : 3; }
static inline DWORD assertion_version(DWORD api) { return api >= 9 ? 6 : api >= 7 ? 5 : api == 6 ? 4 : api >= 4 ? 3 : api == 3 ? 2 : 1; }
/* Allocation size per returned struct version: CREDENTIAL_DETAILS 40 (v1-2) / 72 (v3-4); 80 stands for a future v5. */
static inline size_t details_size(DWORD v) { return v <= 2 ? 40 : v <= 4 ? 72 : 80; }
static inline size_t attestation_size(DWORD v) { static const size_t s[9] = {0, 96, 112, 120, 128, 136, 144, 160, 192}; return v <= 8 ? s[v] : 192; }
static inline size_t assertion_size(DWORD v) { static const size_t s[7] = {0, 72, 112, 120, 128, 136, 168}; return v <= 6 ? s[v] : 168; }
static inline void *dup_bytes(const void *p, DWORD n) {
  if (!p) return NULL;
  void *d = malloc(n ? n : 1);
  memcpy(d, p, n);
  return d;
}

#endif
