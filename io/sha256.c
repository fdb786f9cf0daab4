/* SHA-256 of a file (FIPS 180-4) through OpenSSL's EVP interface, streamed in 64 KiB blocks. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "alloc.h"
#include "results.h"

#define BLOCK_BYTES ((size_t)1 << 16)

/* O(file size) time, O(1) memory. */
cp_status cp_sha256_file(const char *path, char hex[65], cp_error *err) {
    cp_status status = CP_OK;
    FILE *f = NULL;
    unsigned char *buf = NULL;
    EVP_MD_CTX *ctx = NULL;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (path == NULL || hex == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_sha256_file: path and hex are required");
    }
    hex[0] = '\0';
    f = fopen(path, "rb");
    if (f == NULL) {
        return cp_error_set(err, CP_E_IO, "%s: cannot open to compute its SHA-256: %s", path,
                            strerror(errno));
    }
    buf = cp__malloc(BLOCK_BYTES);
    ctx = EVP_MD_CTX_new();
    if (buf == NULL || ctx == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory computing its SHA-256", path);
        goto cleanup;
    }
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        status =
            cp_error_set(err, CP_E_INTERNAL, "%s: OpenSSL could not start a SHA-256 digest", path);
        goto cleanup;
    }
    for (;;) {
        size_t got = fread(buf, 1, BLOCK_BYTES, f);
        if (got > 0 && EVP_DigestUpdate(ctx, buf, got) != 1) {
            status = cp_error_set(err, CP_E_INTERNAL, "%s: OpenSSL SHA-256 update failed", path);
            goto cleanup;
        }
        if (got < BLOCK_BYTES) {
            break;
        }
    }
    if (ferror(f)) {
        status = cp_error_set(err, CP_E_IO, "%s: read error while computing its SHA-256: %s", path,
                              strerror(errno));
        goto cleanup;
    }
    if (EVP_DigestFinal_ex(ctx, md, &md_len) != 1 || md_len != 32) {
        status = cp_error_set(err, CP_E_INTERNAL, "%s: OpenSSL SHA-256 finalisation failed", path);
        goto cleanup;
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < md_len; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
cleanup:
    EVP_MD_CTX_free(ctx);
    cp__free(buf);
    fclose(f);
    return status;
}
