/* chokepoint: the one status type of the library, and the caller-owned error record.
 *
 * Every public function returns a cp_status: 0 is success, negative is an error, positive is a
 * warning (the result is usable but not what was asked for, e.g. an iteration that did not
 * converge). The enum, its names and its messages are generated from one X-macro table. */
#ifndef CHOKEPOINT_STATUS_H
#define CHOKEPOINT_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, message). */
#define CP_STATUS_TABLE(X)                                                                         \
    X(CP_OK, 0, "success")                                                                         \
    X(CP_W_NOT_CONVERGED, 1, "iteration did not converge within its limit")                        \
    X(CP_W_NOT_STRONGLY_CONNECTED, 2,                                                              \
      "the graph is not strongly connected: the eigenvector is not unique (or is zero) there")     \
    X(CP_E_INVALID, -1, "invalid argument")                                                        \
    X(CP_E_NOMEM, -2, "out of host memory")                                                        \
    X(CP_E_IO, -3, "file could not be read or written")                                            \
    X(CP_E_FORMAT, -4, "input data is malformed")                                                  \
    X(CP_E_CUDA, -5, "CUDA error")                                                                 \
    X(CP_E_NODEVICE, -6, "no usable GPU device")                                                   \
    X(CP_E_DEVMEM, -7, "out of device memory")                                                     \
    X(CP_E_UNSUPPORTED, -8, "operation not supported by this backend or build")                    \
    X(CP_E_INTERNAL, -9, "internal error")

typedef enum cp_status {
#define CP__STATUS_ENUM(name, value, message) name = value,
    CP_STATUS_TABLE(CP__STATUS_ENUM)
#undef CP__STATUS_ENUM
} cp_status;

/* Returns the symbolic name of a status ("CP_E_FORMAT"), or "CP_UNKNOWN". Never NULL. */
const char *cp_status_name(cp_status s);

/* Returns a one-line English description of a status. Never NULL. */
const char *cp_status_message(cp_status s);

/* The caller-owned error record passed last to every fallible function. It holds the status and a
 * message naming the file, dataset, line or argument concerned. It lives wherever the caller puts
 * it (usually the stack) and needs no allocation, so it can be filled under out-of-memory. A
 * function may be given err = NULL, in which case details are dropped. */
#define CP_ERROR_MSG_SIZE 1024
typedef struct cp_error {
    cp_status status;
    char msg[CP_ERROR_MSG_SIZE];
} cp_error;

/* Sets err (if not NULL) to status s with a printf-style message, and returns s. An existing
 * message is replaced. */
cp_status cp_error_set(cp_error *err, cp_status s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Clears err (if not NULL) to CP_OK with an empty message. */
void cp_error_clear(cp_error *err);

/* Maps a status onto the CLI's exit codes: 0 ok (and warnings), 1 usage (CP_E_INVALID), 2 bad
 * input data (CP_E_FORMAT, CP_E_IO), 3 resource (CP_E_NOMEM, CP_E_NODEVICE, CP_E_DEVMEM,
 * CP_E_CUDA), 4 internal (everything else). */
int cp_status_exit_code(cp_status s);

/* Jumps to the function's cleanup label when expr returns an error (negative status); the status
 * is kept in the local variable `status`. */
#define CP_TRY(expr)                                                                               \
    do {                                                                                           \
        status = (expr);                                                                           \
        if (status < 0) {                                                                          \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

#ifdef __cplusplus
}
#endif
#endif
