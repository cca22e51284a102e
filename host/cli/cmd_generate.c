/* host/cli/cmd_generate.c - `ratchet generate task`: a new task that validates and passes its
 * test. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "cli.h"

/* A random version-4 UUID from the kernel's random source. */
static int random_uuid(char out[37])
{
    unsigned char b[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, b, sizeof b);
    close(fd);
    if (n != (ssize_t)sizeof b)
        return -1;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    return 0;
}

/* "My Task" -> "my-task": the name the registry accepts ([A-Za-z0-9_-]+). */
static void name_from_label(const char *label, char *out, size_t len)
{
    size_t n = 0;
    int dash = 0;
    for (const char *p = label; *p && n + 1 < len; p++) {
        if (isalnum((unsigned char)*p) || *p == '_') {
            if (dash && n > 0)
                out[n++] = '-';
            if (n + 1 < len)
                out[n++] = (char)tolower((unsigned char)*p);
            dash = 0;
        } else {
            dash = 1;
        }
    }
    if (n == 0)
        n = (size_t)snprintf(out, len, "task");
    out[n] = '\0';
}

static int put(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return rt_cli_fail("cannot create %s: %s", path, strerror(errno));
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len;
    close(fd);
    return ok ? RT_EXIT_OK : rt_cli_fail("cannot write %s: %s", path, strerror(errno));
}

static int generate_task(const char *path, const char *label, const char *description,
                         const char *version)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return rt_cli_fail("cannot create %s: %s", path, strerror(errno));
    char tests[4096];
    snprintf(tests, sizeof tests, "%s/tests", path);
    if (mkdir(tests, 0755) != 0)
        return rt_cli_fail("cannot create %s: %s%s", tests, strerror(errno),
                           errno == EEXIST ? " (the folder already holds a task?)" : "");
    char uuid[37], name[128];
    if (random_uuid(uuid) != 0)
        return rt_cli_fail("cannot read /dev/urandom for a uuid");
    name_from_label(label, name, sizeof name);
    ratchet_buf meta = RATCHET_BUF_INIT;
    rt_buf_printf(&meta, "{\n  \"uuid\": \"%s\",\n  \"name\": \"%s\",\n  \"label\": ", uuid, name);
    rt_buf_json_string(&meta, label);
    rt_buf_printf(&meta, ",\n  \"version\": ");
    rt_buf_json_string(&meta, version);
    rt_buf_printf(&meta, ",\n  \"description\": ");
    rt_buf_json_string(&meta, description);
    rt_buf_puts(&meta, "\n}\n");
    int rc = put(path, "metadata.json", meta.data);
    rt_buf_free(&meta);
    if (rc == RT_EXIT_OK)
        rc = put(path, "input.schema.json",
                 "{\n  \"type\": \"object\",\n  \"properties\": {\n"
                 "    \"name\": {\"type\": \"string\", \"minLength\": 1}\n  },\n"
                 "  \"required\": [\"name\"]\n}\n");
    if (rc == RT_EXIT_OK)
        rc = put(path, "output.schema.json",
                 "{\n  \"type\": \"object\",\n  \"properties\": {\n"
                 "    \"greeting\": {\"type\": \"string\"}\n  },\n"
                 "  \"required\": [\"greeting\"]\n}\n");
    if (rc == RT_EXIT_OK)
        rc = put(path, "main.js",
                 "// Called as main(input, context); return a JSON value.\n"
                 "// ES5 only (MuJS): use var and function, not let/const or arrow functions.\n"
                 "function main(input, context) {\n"
                 "    if (typeof input.name !== 'string') {\n"
                 "        throw new ValidationError('name must be a string');\n"
                 "    }\n"
                 "    console.log('greeting ' + input.name);\n"
                 "    return { greeting: 'Hello, ' + input.name + '!' };\n"
                 "}\n");
    if (rc == RT_EXIT_OK)
        rc = put(tests, "test-001.json",
                 "{\n  \"input\": {\"name\": \"World\"},\n"
                 "  \"expected_output\": {\"greeting\": \"Hello, World!\"}\n}\n");
    if (rc == RT_EXIT_OK)
        printf("created task '%s' in %s\nnext: ratchet validate --from-fs %s && ratchet test "
               "--from-fs %s\n",
               name, path, path, path);
    return rc;
}

static int generate_run(rt_app *app, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "mcp-config") == 0)
        return rt_generate_mcp_config(app, argc, argv);
    if (argc < 2 || strcmp(argv[1], "task") != 0)
        return rt_usage_error("generate", "expected `generate task --path P` or `generate "
                                          "mcp-config`");
    const char *path = NULL, *label = "My Task", *description = "A new Ratchet task",
               *version = "1.0.0";
    for (int i = 2; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--path") == 0          ? &path
                            : strcmp(argv[i], "--label") == 0       ? &label
                            : strcmp(argv[i], "--description") == 0 ? &description
                            : strcmp(argv[i], "--version") == 0     ? &version
                                                                    : NULL;
        if (!slot)
            return rt_usage_error("generate", "unknown option '%s'", argv[i]);
        if (i + 1 >= argc)
            return rt_usage_error("generate", "%s needs a value", argv[i]);
        *slot = argv[++i];
    }
    if (!path)
        return rt_usage_error("generate", "--path is required");
    return generate_task(path, label, description, version);
}

const rt_command rt_cmd_generate = {
    "generate",
    "Create a new task folder, or the configuration an MCP client needs",
    "Usage: ratchet generate task --path P [--label L] [--description D] [--version V]\n"
    "       ratchet [--config F] [--tasks P]... [--data-dir D] generate mcp-config [--name N]\n"
    "               [--url URL] [--key-env VAR]\n\n"
    "Writes P/metadata.json, input.schema.json, output.schema.json, main.js and\n"
    "tests/test-001.json: a small greeting task to edit. Refuses to overwrite an existing\n"
    "task. Defaults: --label \"My Task\", --version 1.0.0.\n\n"
    "mcp-config prints {\"mcpServers\": {...}} for an MCP client (Claude Desktop, Cursor, ...):\n"
    "one server started over stdio (`ratchet mcp-serve` with this command's --config, --tasks\n"
    "and --data-dir, as absolute paths) and one reached over HTTP at --url (default\n"
    "http://127.0.0.1:8080/mcp, the /mcp route of `ratchet serve`); --key-env VAR adds an\n"
    "Authorization header taken from the client's environment variable VAR.\n",
    generate_run,
};
