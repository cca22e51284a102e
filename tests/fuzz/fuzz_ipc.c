/*
 * tests/fuzz/fuzz_ipc.c - the worker protocol decoder (host/engine/ipc_msg.c): one line from a
 * peer. A message that decodes must encode again, and the encoding must decode to the same
 * type and id (the coordinator and the worker re-send what they read).
 */
#include <json-c/json.h>
#include <string.h>

#include "engine/ipc.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rt_ipc_msg msg;
    memset(&msg, 0, sizeof msg);
    rt_error err = {{0}};
    if (rt_ipc_decode((const char *)data, size, &msg, &err) == RATCHET_OK) {
        ratchet_buf out = RATCHET_BUF_INIT;
        rt_error err2 = {{0}};
        ratchet_status rc = rt_ipc_encode(&msg, &out, &err2);
        if (rc == RATCHET_ERR)
            fuzz_check_failed(err2.msg, __FILE__, __LINE__); /* decoded, so encodable */
        if (rc == RATCHET_OK) {
            FUZZ_CHECK(out.len > 0 && out.data[out.len - 1] == '\n');
            FUZZ_CHECK(memchr(out.data, '\n', out.len - 1) == NULL); /* one line */
            rt_ipc_msg again;
            memset(&again, 0, sizeof again);
            rc = rt_ipc_decode(out.data, out.len - 1, &again, &err2);
            if (rc == RATCHET_ERR)
                fuzz_check_failed(err2.msg, __FILE__, __LINE__);
            if (rc == RATCHET_OK) {
                FUZZ_CHECK(again.type == msg.type);
                FUZZ_CHECK(again.id == msg.id && again.id_null == msg.id_null);
            }
            rt_ipc_msg_free(&again);
        }
        rt_buf_free(&out);
        rt_ipc_msg_free(&msg);
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
        rt_ipc_msg reply;
        memset(&reply, 0, sizeof reply);
        rt_ipc_error_reply(&reply, &msg, err.msg);
        ratchet_buf out = RATCHET_BUF_INIT;
        FUZZ_CHECK(rt_ipc_encode(&reply, &out, &err) != RATCHET_ERR);
        rt_buf_free(&out);
    }

    struct json_object *v = NULL;
    if (rt_ipc_parse_json((const char *)data, size, &v, &err) == RATCHET_OK)
        json_object_put(v);
    return 0;
}
