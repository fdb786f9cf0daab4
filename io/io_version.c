/* The io library's version string (also keeps the library non-empty in minimal builds). */
const char *cp__io_version(void);
const char *cp__io_version(void) {
    return CP_VERSION;
}
