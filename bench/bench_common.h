/* Timing and memory helpers shared by the benchmark drivers (bench_cpu.c, bench_scenarios.c). */
#ifndef CP_BENCH_COMMON_H
#define CP_BENCH_COMMON_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Monotonic wall time in seconds. */
static inline double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Reads a "Vm...:  N kB" line of /proc/self/status, in MiB; -1 when absent. */
static inline double bench_proc_status_mib(const char *key) {
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) {
        return -1;
    }
    char line[256];
    double v = -1;
    size_t k = strlen(key);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, k) == 0 && line[k] == ':') {
            v = strtod(line + k + 1, NULL) / 1024.0;
            break;
        }
    }
    fclose(f);
    return v;
}

/* Resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0); false when not allowed. */
static inline bool bench_reset_peak(void) {
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f == NULL) {
        return false;
    }
    bool ok = fputs("5", f) >= 0;
    ok = (fclose(f) == 0) && ok;
    return ok;
}

/* The process's peak RSS (ru_maxrss), in MiB. */
static inline double bench_maxrss_mib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static inline int bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
