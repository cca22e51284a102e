/* host/core/pattern_builtin.c - the built-in error patterns, written in the YAML a user writes
 * under logging.patterns (so the one parser checks them; one string per pattern, joined), and the
 * process's pattern set.
 *
 * Every built-in pattern has min_level warn: an ordinary info line is never an error, and the
 * level is the cheapest check. Events of a failed execution carry the fields errorName (the thrown
 * error's name, e.g. TypeError, HttpError), errorKind (how the run ended: runtime_error, timeout,
 * timed out, memory, stack, crashed, compile error, output invalid, ...), status (the HTTP status
 * of an HttpError) and taskName; server log events carry their own fields. Each message regex has
 * a literal word per alternative so that the matcher's prefilter can skip it. */
#include "pattern.h"

#include "buf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const builtin_yaml[] = {
    /* ---- database ---- */
    "- id: db_timeout\n"
    "  name: Database timeout\n"
    "  category: database\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: A database query or connection did not answer in time.\n"
    "  suggestions: [Check the database's load and connectivity, Consider raising the timeout,"
    " Look for slow queries or long transactions holding locks]\n"
    "  match:\n"
    "    - or: [{level: error}, {level: warn}]\n"
    "    - message_regex: 'timeout|timed out|is locked|busy'\n"
    "    - message_regex: 'database|query|sql|postgres|statement|lock'\n",
    "- id: db_connection\n"
    "  name: Database connection failure\n"
    "  category: database\n"
    "  severity: critical\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: The database could not be reached or dropped the connection.\n"
    "  suggestions: [Check that the database server is running and reachable,"
    " Verify the connection string and credentials,"
    " Check the connection limits (max_connections) and the pool size]\n"
    "  match:\n"
    "    - or: [{level: error}, {level: warn}]\n"
    "    - message_regex: 'connection (refused|lost|closed|failed)|could not connect|"
    "unable to open|too many (connections|clients)|server closed the connection'\n"
    "    - message_regex: 'database|postgres|sqlite|libpq|sql'\n"
    /* ---- network and HTTP ---- */
    ,
    "- id: network_connection\n"
    "  name: Network connection failure\n"
    "  category: network\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.85\n"
    "  description: A remote host refused or dropped the connection, or could not be found.\n"
    "  suggestions: [Verify the remote service is up and the URL is right,"
    " Check DNS resolution of the host name, Check firewalls and proxies between Ratchet and "
    "the host]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: NetworkError}\n"
    "      - message_regex: 'connection refused|couldn.t connect|could not connect|"
    "connection reset|could not resolve|name resolution|dns.*(fail|error)|host unreachable|"
    "network.*(error|unreachable)|ssl.*(error|handshake)|certificate'\n",
    "- id: network_timeout\n"
    "  name: Network timeout\n"
    "  category: network\n"
    "  severity: medium\n"
    "  min_level: warn\n"
    "  confidence: 0.85\n"
    "  description: A fetch call or connection took longer than its time limit.\n"
    "  suggestions: [Check how long the remote service takes to answer,"
    " Raise the fetch timeout if the service is slow but healthy,"
    " Retry with backoff (the job's max_retries)]\n"
    "  match:\n"
    "    or:\n"
    "      - and: [{field_equals: {field: errorName, value: TimeoutError}},"
    " {message_regex: 'fetch|http|request|connect'}]\n"
    "      - message_regex: 'fetch timed out|connection timed out|operation timed out|"
    "request timeout|gateway timeout|http 504|http 408'\n",
    "- id: http_client_error\n"
    "  name: HTTP client error (4xx)\n"
    "  category: http\n"
    "  severity: medium\n"
    "  min_level: warn\n"
    "  confidence: 0.8\n"
    "  description: A remote service refused the request as malformed or unknown (4xx).\n"
    "  suggestions: [Check the URL, method and body the task sends,"
    " Compare the request with the API's documentation,"
    " Log the response body to see the service's reason]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: HttpError}\n"
    "      - message_regex: 'http (400|404|405|409|410|413|415|422)'\n",
    "- id: http_not_found\n"
    "  name: HTTP resource not found (404)\n"
    "  category: http\n"
    "  severity: medium\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: The requested URL does not exist on the remote service.\n"
    "  suggestions: [Check the path and the ids in the URL, Check that the resource was not "
    "deleted or moved]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: status, value: '404'}\n"
    "      - message_regex: 'http 404|404 not found'\n",
    "- id: http_server_error\n"
    "  name: Remote service unavailable (5xx)\n"
    "  category: http\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.85\n"
    "  description: The remote service failed or is unavailable (HTTP 5xx).\n"
    "  suggestions: [Check the remote service's status, Retry later with backoff,"
    " Consider a fallback when the service is down]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: ServiceUnavailableError}\n"
    "      - message_regex: 'http 5[0-9][0-9]|service unavailable|bad gateway|"
    "internal server error'\n",
    "- id: rate_limited\n"
    "  name: Rate limited (429)\n"
    "  category: http\n"
    "  severity: medium\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: The remote service throttled the requests.\n"
    "  suggestions: [Slow down (fewer workers or a schedule with more spacing),"
    " Honour the Retry-After header, Ask the provider for a higher quota]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: RateLimitError}\n"
    "      - message_regex: 'http 429|rate limit|too many requests|quota exceeded'\n",
    "- id: fetch_not_allowed\n"
    "  name: Fetch refused by policy\n"
    "  category: network\n"
    "  severity: medium\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: The task called a URL the sandbox does not allow (scheme or host).\n"
    "  suggestions: [Use an http or https URL, Check the allow-list of hosts for fetch]\n"
    "  match:\n"
    "    message_regex: 'only http and https urls are allowed|not allowed|blocked by'\n"
    /* ---- task execution and JavaScript ---- */
    ,
    "- id: js_type_error\n"
    "  name: JavaScript TypeError\n"
    "  category: javascript\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: The task used a value of the wrong type (often undefined or null).\n"
    "  suggestions: [Check for undefined or null before reading a property,"
    " Check the shape of the input and of fetch responses (response.json()),"
    " Look at the line of main.js in the stack]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: TypeError}\n"
    "      - message_regex: '^typeerror|cannot read propert|is not a function|"
    "is not an object|undefined is not|cannot convert'\n",
    "- id: js_reference_error\n"
    "  name: JavaScript ReferenceError\n"
    "  category: javascript\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: The task used a name that is not defined.\n"
    "  suggestions: [Check the spelling of the variable or function,"
    " Declare it (let/const) before use, Node.js modules (require) are not available]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: ReferenceError}\n"
    "      - message_regex: '^referenceerror|is not defined'\n",
    "- id: js_syntax_error\n"
    "  name: JavaScript syntax or compile error\n"
    "  category: javascript\n"
    "  severity: critical\n"
    "  min_level: warn\n"
    "  confidence: 0.95\n"
    "  description: main.js does not compile, or JSON.parse met invalid text.\n"
    "  suggestions: [Run `ratchet validate` on the task folder for the line and column,"
    " Check JSON.parse inputs (fetch bodies) are JSON]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: SyntaxError}\n"
    "      - field_equals: {field: errorKind, value: compile error}\n"
    "      - field_equals: {field: errorKind, value: compile_error}\n"
    "      - message_regex: '^syntaxerror|unexpected token|compile error'\n",
    "- id: js_range_error\n"
    "  name: JavaScript RangeError or stack overflow\n"
    "  category: javascript\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.85\n"
    "  description: A value out of range, or recursion too deep.\n"
    "  suggestions: [Look for unbounded recursion, Check array lengths and numeric ranges]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: RangeError}\n"
    "      - field_equals: {field: errorKind, value: stack}\n"
    "      - message_regex: '^rangeerror|stack overflow|maximum call stack|invalid array length'\n",
    "- id: task_thrown_error\n"
    "  name: Error thrown by the task\n"
    "  category: task\n"
    "  severity: medium\n"
    "  min_level: warn\n"
    "  confidence: 0.6\n"
    "  description: The task threw an error of its own (Error, DataError or a custom one).\n"
    "  suggestions: [Read the message the task threw and the line in the stack,"
    " Reproduce with `ratchet run-once` and the same input]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: Error}\n"
    "      - field_equals: {field: errorName, value: DataError}\n"
    "      - field_equals: {field: errorName, value: AggregateError}\n",
    "- id: task_no_entry\n"
    "  name: Task exposes nothing to call\n"
    "  category: task\n"
    "  severity: critical\n"
    "  min_level: warn\n"
    "  confidence: 0.95\n"
    "  description: main.js defines no main function (or module.exports) to run.\n"
    "  suggestions: [Define function main(input, context) or export it,"
    " Run `ratchet validate` on the task folder]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorKind, value: no_entry}\n"
    "      - message_regex: 'exposes nothing to call|no main function'\n",
    "- id: task_crashed\n"
    "  name: Worker crashed\n"
    "  category: task\n"
    "  severity: critical\n"
    "  min_level: warn\n"
    "  confidence: 0.8\n"
    "  description: The worker process running the task died without an answer.\n"
    "  suggestions: [Check the server log for the signal,"
    " Look for unbounded loops or memory growth in the task,"
    " Report it with the task and input if it repeats]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorKind, value: crashed}\n"
    "      - message_regex: 'worker process (died|exited)|segmentation fault|signal [0-9]+'\n"
    /* ---- configuration and validation ---- */
    ,
    "- id: input_validation\n"
    "  name: Input or output does not match the schema\n"
    "  category: validation\n"
    "  severity: medium\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: The input, or the task's output, does not match its JSON schema.\n"
    "  suggestions: [Compare the value with input.schema.json / output.schema.json,"
    " Run `ratchet validate` and the task's tests, Check required properties and types]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: ValidationError}\n"
    "      - field_equals: {field: errorKind, value: output invalid}\n"
    "      - field_equals: {field: errorKind, value: output_error}\n"
    "      - message_regex: 'does not match the (task.s )?(input|output) schema|schema "
    "validation|validation (error|failed)|expected (number|string|object|array|integer|"
    "boolean), got|required property'\n",
    "- id: configuration_error\n"
    "  name: Configuration error\n"
    "  category: configuration\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.85\n"
    "  description: A setting the task or server needs is missing or wrong.\n"
    "  suggestions: [Check ratchet.yaml with `ratchet config validate`,"
    " Check the environment variables the task reads,"
    " Check the task's metadata.json]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: ConfigurationError}\n"
    "      - message_regex: 'configuration error|missing (required )?(option|setting|"
    "configuration)|unknown option|invalid config'\n"
    /* ---- resources ---- */
    ,
    "- id: execution_timeout\n"
    "  name: Execution timed out\n"
    "  category: resource\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.95\n"
    "  description: The task ran longer than its time limit and was stopped.\n"
    "  suggestions: [Raise execution.timeout (or the task's timeout) if the work is legitimate,"
    " Look for loops that never end or waits on slow fetch calls,"
    " Split the work into smaller jobs]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorKind, value: timed out}\n"
    "      - field_equals: {field: errorKind, value: timeout}\n"
    "      - and: [{field_equals: {field: errorName, value: TimeoutError}},"
    " {not: {message_regex: 'fetch|http|request|connect'}}]\n"
    "      - message_regex: 'execution (timed out|timeout)|time limit|deadline exceeded'\n",
    "- id: out_of_memory\n"
    "  name: Out of memory\n"
    "  category: resource\n"
    "  severity: critical\n"
    "  min_level: warn\n"
    "  confidence: 0.95\n"
    "  description: The task allocated more memory than it may (execution.memory_limit).\n"
    "  suggestions: [Process data in smaller pieces,"
    " Raise execution.memory_limit if the task needs it,"
    " Avoid holding whole responses and copies of them at once]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorKind, value: memory}\n"
    "      - field_equals: {field: errorKind, value: out of memory}\n"
    "      - message_regex: 'out of memory|memory limit|cannot allocate|allocation failed|"
    "enomem'\n",
    "- id: disk_full\n"
    "  name: Disk full or file limit\n"
    "  category: resource\n"
    "  severity: critical\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: The disk or a file-descriptor limit was exhausted.\n"
    "  suggestions: [Free disk space where engine.data_dir and the logs live,"
    " Lower log retention, Raise the open-files limit (ulimit -n)]\n"
    "  match:\n"
    "    message_regex: 'no space left|disk (is )?full|database or disk is full|"
    "too many open files|quota exceeded on'\n",
    "- id: queue_backlog\n"
    "  name: Queue backlog or overload\n"
    "  category: resource\n"
    "  severity: medium\n"
    "  min_level: warn\n"
    "  confidence: 0.7\n"
    "  description: The server is refusing or delaying work because it is overloaded.\n"
    "  suggestions: [Add workers (engine.workers), Spread schedules out,"
    " Check for jobs stuck retrying]\n"
    "  match:\n"
    "    message_regex: 'queue (is )?full|backlog|overloaded|too busy|dropped [0-9]+ event'\n"
    /* ---- authentication and authorisation ---- */
    ,
    "- id: auth_failed\n"
    "  name: Authentication failed (401)\n"
    "  category: authentication\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: A service rejected the credentials (missing, wrong or expired).\n"
    "  suggestions: [Check the API key or token the task sends,"
    " Check whether the token expired and needs refreshing,"
    " Check the environment variable holding the secret is set for the server]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: AuthenticationError}\n"
    "      - message_regex: 'http 401|unauthori[sz]ed|authentication failed|invalid (api )?"
    "(key|token)|token expired|invalid credentials'\n",
    "- id: access_denied\n"
    "  name: Access denied (403)\n"
    "  category: authorization\n"
    "  severity: high\n"
    "  min_level: warn\n"
    "  confidence: 0.9\n"
    "  description: The credentials are valid but not allowed to do this.\n"
    "  suggestions: [Check the permissions or scopes of the key or token,"
    " Check the resource belongs to the account used,"
    " For Ratchet's own API, check the key's scope (read, write or admin)]\n"
    "  match:\n"
    "    or:\n"
    "      - field_equals: {field: errorName, value: AuthorizationError}\n"
    "      - message_regex: 'http 403|forbidden|access denied|permission denied|"
    "not authori[sz]ed|insufficient (scope|permission)'\n",
};

ratchet_status rt_patterns_add_builtin(rt_pattern_set *set, rt_error *err)
{
    ratchet_buf text = RATCHET_BUF_INIT;
    for (size_t i = 0; i < sizeof builtin_yaml / sizeof *builtin_yaml; i++)
        if (rt_buf_puts(&text, builtin_yaml[i]) != RATCHET_OK) {
            rt_buf_free(&text);
            return rt_fail(err, "out of memory");
        }
    rt_node *tree = rt_yaml_parse(text.data, text.len, "(built-in)", err);
    rt_buf_free(&text);
    if (!tree)
        return RATCHET_ERR;
    ratchet_status rc = rt_patterns_parse(set, tree, "built-in patterns", 1, err);
    rt_node_free(tree);
    return rc;
}

/* ---- the process's set --------------------------------------------------------------------
 * The built-ins are compiled on first use, not at start: a process that never matches (a
 * worker, `run-once`) does not pay for 27 regcomp calls. The set in effect is a view: the
 * built-ins a custom pattern does not replace, then the custom ones. */

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static const rt_pattern_set *custom;   /* installed: logging.patterns (borrowed) */
static rt_pattern_set builtins;        /* owned, compiled on first use */
static int builtins_ready;
static rt_pattern_set view;            /* items borrowed from builtins and custom */
static const rt_pattern_set *view_of;  /* the custom set the view was built for */
static int view_ready;

/* The view for the installed custom set (current_lock held). On failure, the built-ins. */
static void build_view(void)
{
    free(view.items);
    view.items = NULL;
    view.n = 0;
    size_t ncustom = custom ? custom->n : 0;
    view.items = malloc((builtins.n + ncustom + 1) * sizeof *view.items);
    if (!view.items)
        return;
    for (size_t i = 0; i < builtins.n; i++)
        if (!rt_pattern_set_find(custom, builtins.items[i]->id))
            view.items[view.n++] = builtins.items[i];
    for (size_t i = 0; i < ncustom; i++)
        view.items[view.n++] = custom->items[i];
    view_of = custom;
    view_ready = 1;
}

const rt_pattern_set *rt_patterns_current(void)
{
    pthread_mutex_lock(&current_lock);
    if (!builtins_ready) {
        rt_error err;
        if (rt_patterns_add_builtin(&builtins, &err) != RATCHET_OK)
            rt_pattern_set_clear(&builtins);
        builtins_ready = 1;
    }
    if (!view_ready || view_of != custom)
        build_view();
    const rt_pattern_set *s = view.items ? &view : &builtins;
    pthread_mutex_unlock(&current_lock);
    return s;
}

void rt_patterns_install(const rt_pattern_set *set)
{
    pthread_mutex_lock(&current_lock);
    custom = set;
    pthread_mutex_unlock(&current_lock);
}

void rt_patterns_uninstall(const rt_pattern_set *set)
{
    pthread_mutex_lock(&current_lock);
    if (custom == set) {
        custom = NULL;
        free(view.items);
        view.items = NULL;
        view.n = 0;
        view_ready = 0;
    }
    pthread_mutex_unlock(&current_lock);
}
