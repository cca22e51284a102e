/*
 * tests/fuzz/fuzz_jsc.c - the task compiler (host/task/compiler, jsc_compile): any bytes as
 * main.js must compile or come back with a positioned error, never crash or hang.
 */
#include <string.h>

#include "fuzz_common.h"
#include "jsc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    jsc_output out;
    memset(&out, 0, sizeof out);
    if (jsc_compile((const char *)data, size, &out)) {
        FUZZ_CHECK(out.code != NULL && out.modules != NULL);
        FUZZ_CHECK(out.code[out.code_len] == '\0');
        FUZZ_CHECK(!out.line_map || out.line_map_lines > 0);
    } else {
        FUZZ_CHECK(out.err_msg[0] != '\0');
        FUZZ_CHECK(memchr(out.err_msg, '\0', sizeof out.err_msg) != NULL);
    }
    jsc_output_free(&out);
    return 0;
}
