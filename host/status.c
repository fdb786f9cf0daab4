/* The status table, its names and messages, and the error record helpers. */
#include "chokepoint/status.h"

#include <stdarg.h>
#include <stdio.h>

const char *cp_status_name(cp_status s) {
    switch (s) {
#define CP__STATUS_NAME(name, value, message)                                                      \
    case name:                                                                                     \
        return #name;
        CP_STATUS_TABLE(CP__STATUS_NAME)
#undef CP__STATUS_NAME
    }
    return "CP_UNKNOWN";
}

const char *cp_status_message(cp_status s) {
    switch (s) {
#define CP__STATUS_MSG(name, value, message)                                                       \
    case name:                                                                                     \
        return message;
        CP_STATUS_TABLE(CP__STATUS_MSG)
#undef CP__STATUS_MSG
    }
    return "unknown status";
}

cp_status cp_error_set(cp_error *err, cp_status s, const char *fmt, ...) {
    if (err != NULL) {
        err->status = s;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return s;
}

void cp_error_clear(cp_error *err) {
    if (err != NULL) {
        err->status = CP_OK;
        err->msg[0] = '\0';
    }
}

int cp_status_exit_code(cp_status s) {
    switch (s) {
    case CP_OK:
    case CP_W_NOT_CONVERGED:
    case CP_W_NOT_STRONGLY_CONNECTED:
        return 0;
    case CP_E_INVALID:
        return 1;
    case CP_E_FORMAT:
    case CP_E_IO:
        return 2;
    case CP_E_NOMEM:
    case CP_E_NODEVICE:
    case CP_E_DEVMEM:
    case CP_E_CUDA:
    case CP_E_UNSUPPORTED:
        return 3;
    default:
        return 4;
    }
}
