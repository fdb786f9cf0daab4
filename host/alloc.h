/* The one host allocation wrapper. Every allocation in the library goes through these, so that
 * a test can make the n-th allocation fail (cp__alloc_fail_after) and check that every error path
 * frees what it took. */
#ifndef CP_HOST_ALLOC_H
#define CP_HOST_ALLOC_H

#include <stddef.h>

void *cp__malloc(size_t bytes);
void *cp__calloc(size_t count, size_t size);
void *cp__realloc(void *p, size_t bytes);
void cp__free(void *p); /* free(NULL) is harmless */
char *cp__strdup(const char *s);

/* Makes the allocation after `n` further successful ones fail (n = 0: the next one). A negative n
 * switches fault injection off (the default). For tests only. */
void cp__alloc_fail_after(long n);

/* Allocates count elements of size bytes each, checking count * size for overflow; NULL on
 * overflow or failure. */
void *cp__malloc_array(size_t count, size_t size);

#endif
