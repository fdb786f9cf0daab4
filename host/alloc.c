#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long fail_after = -1;

void cp__alloc_fail_after(long n) {
    fail_after = n;
}

static int should_fail(void) {
    if (fail_after < 0) {
        return 0;
    }
    if (fail_after == 0) {
        fail_after = -1;
        return 1;
    }
    fail_after--;
    return 0;
}

void *cp__malloc(size_t bytes) {
    if (should_fail()) {
        return NULL;
    }
    return malloc(bytes == 0 ? 1 : bytes);
}

void *cp__calloc(size_t count, size_t size) {
    if (should_fail()) {
        return NULL;
    }
    if (count == 0 || size == 0) {
        return calloc(1, 1);
    }
    return calloc(count, size);
}

void *cp__realloc(void *p, size_t bytes) {
    if (should_fail()) {
        return NULL;
    }
    return realloc(p, bytes == 0 ? 1 : bytes);
}

void *cp__malloc_array(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    return cp__malloc(count * size);
}

void cp__free(void *p) {
    free(p);
}

char *cp__strdup(const char *s) {
    if (s == NULL) {
        return NULL;
    }
    size_t len = strlen(s);
    char *d = cp__malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len + 1);
    }
    return d;
}
