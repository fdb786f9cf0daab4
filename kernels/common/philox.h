/* Philox 4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011): a counter-based generator. The same (key, counter) gives the same four 32-bit words on
 * every backend, thread count and platform, so chokepoint keys it by (seed, scenario, round,
 * purpose) and counts by element (edge, node, draw), and needs no generator state at all.
 *
 * Written in the common subset of C11 and CUDA C++ so the CPU twin and the kernels share it. */
#ifndef CP_KERNELS_COMMON_PHILOX_H
#define CP_KERNELS_COMMON_PHILOX_H

#include <stdint.h>

#include "cp_hd.h"

typedef struct cp_philox_ctr {
    uint32_t v[4];
} cp_philox_ctr;

typedef struct cp_philox_key {
    uint32_t v[2];
} cp_philox_key;

CP_HD uint32_t cp__mulhilo32(uint32_t a, uint32_t b, uint32_t *hi) {
    uint64_t p = (uint64_t)a * (uint64_t)b;
    *hi = (uint32_t)(p >> 32);
    return (uint32_t)p;
}

/* Ten rounds of Philox 4x32 with the published multipliers and Weyl increments. */
CP_HD cp_philox_ctr cp_philox4x32(cp_philox_ctr c, cp_philox_key k) {
    const uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
    const uint32_t W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
    for (int r = 0; r < 10; r++) {
        uint32_t hi0, hi1;
        uint32_t lo0 = cp__mulhilo32(M0, c.v[0], &hi0);
        uint32_t lo1 = cp__mulhilo32(M1, c.v[2], &hi1);
        cp_philox_ctr o;
        o.v[0] = hi1 ^ c.v[1] ^ k.v[0];
        o.v[1] = lo1;
        o.v[2] = hi0 ^ c.v[3] ^ k.v[1];
        o.v[3] = lo0;
        c = o;
        k.v[0] += W0;
        k.v[1] += W1;
    }
    return c;
}

/* Purposes: one per kind of random decision, so that streams never overlap. */
enum {
    CP_RNG_RANDOM_ORDER = 1, /* the random strategy's priorities */
    CP_RNG_REROUTE_TRY = 2,  /* whether a dead edge reroutes */
    CP_RNG_REROUTE_PICK = 3, /* which substitute it picks */
    CP_RNG_TIEBREAK = 4,     /* seeded hash of external ids for ties */
    CP_RNG_GENERATE = 5,     /* graph generators */
    CP_RNG_SAMPLE = 6,       /* sampled sources */
    CP_RNG_REWIRE = 7        /* degree-preserving rewiring (null model) */
};

/* The four words for (seed, scenario, round, purpose) at element index `elem` and draw `draw`. */
CP_HD cp_philox_ctr cp_rng_words(uint64_t seed, uint32_t scenario, uint32_t round, uint32_t purpose,
                                 uint64_t elem, uint32_t draw) {
    cp_philox_key k;
    k.v[0] = (uint32_t)seed;
    k.v[1] = (uint32_t)(seed >> 32);
    cp_philox_ctr c;
    /* Distinct (elem < 2^48, draw < 2^16, scenario, round < 2^24, purpose < 2^8) give distinct
     * counters, so no two decisions ever share random bits. */
    c.v[0] = (uint32_t)elem;
    c.v[1] = (uint32_t)((elem >> 32) & 0xffffu) | (draw << 16);
    c.v[2] = scenario;
    c.v[3] = (round << 8) | (purpose & 0xffu);
    return cp_philox4x32(c, k);
}

/* A uniform double in [0, 1) with 53 random bits from the first two words. */
CP_HD double cp_rng_uniform(uint64_t seed, uint32_t scenario, uint32_t round, uint32_t purpose,
                            uint64_t elem, uint32_t draw) {
    cp_philox_ctr w = cp_rng_words(seed, scenario, round, purpose, elem, draw);
    uint64_t bits = ((uint64_t)w.v[0] << 21) ^ ((uint64_t)w.v[1] >> 11);
    bits &= (1ULL << 53) - 1;
    return (double)bits * (1.0 / 9007199254740992.0);
}

/* A 64-bit hash word for (seed, purpose, elem). */
CP_HD uint64_t cp_rng_u64(uint64_t seed, uint32_t scenario, uint32_t round, uint32_t purpose,
                          uint64_t elem, uint32_t draw) {
    cp_philox_ctr w = cp_rng_words(seed, scenario, round, purpose, elem, draw);
    return ((uint64_t)w.v[0] << 32) | w.v[1];
}

#endif
