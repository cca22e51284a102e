/* tests/unit/test_store_url.c - choosing the storage from a URL (--storage-url,
 * RATCHET_STORAGE_URL) and masking passwords in what is printed (config show, serve's log). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"

static void expect_choice(const char *url, const char *plugin, const char *location)
{
    const char *p = NULL, *loc = NULL;
    rt_error err;
    assert_int_equal(rt_store_url_parse(url, &p, &loc, &err), 0);
    assert_string_equal(p, plugin);
    assert_string_equal(loc, location);
}

static void expect_refused(const char *url, const char *message_part)
{
    const char *p = NULL, *loc = NULL;
    rt_error err;
    assert_int_equal(rt_store_url_parse(url, &p, &loc, &err), -1);
    if (!strstr(err.msg, message_part))
        fail_msg("'%s': message '%s' lacks '%s'", url, err.msg, message_part);
}

static void test_schemes_choose_the_plugin(void **state)
{
    (void)state;
    expect_choice("postgresql://u@h:5432/db", "storage-postgres", "postgresql://u@h:5432/db");
    expect_choice("postgres://u:pw@h/db", "storage-postgres", "postgres://u:pw@h/db");
    expect_choice("PostgreSQL://h/db", "storage-postgres", "PostgreSQL://h/db");
    expect_choice("sqlite:data/r.db", "storage-sqlite", "data/r.db");
    expect_choice("sqlite:///abs/r.db", "storage-sqlite", "/abs/r.db");
    expect_choice("sqlite://rel/r.db", "storage-sqlite", "rel/r.db");
    expect_choice("/var/lib/ratchet/r.db", "storage-sqlite", "/var/lib/ratchet/r.db");
    expect_choice("r.db", "storage-sqlite", "r.db");
    expect_choice("./a:b.db", "storage-sqlite", "./a:b.db");
}

static void test_bad_urls_are_named(void **state)
{
    (void)state;
    expect_refused("mysql://u@h/db", "unknown storage URL scheme 'mysql:'");
    expect_refused("redis://h", "expected postgresql://..., postgres://... or sqlite:PATH");
    expect_refused("", "the storage URL is empty");
    expect_refused("sqlite:", "names no SQLite file");
    expect_refused("sqlite://", "names no SQLite file");
}

static void expect_masked(const char *text, const char *want)
{
    char *got = rt_url_mask(text);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_passwords_are_masked(void **state)
{
    (void)state;
    expect_masked("postgresql://u:s3cret@h:5432/db", "postgresql://u:***@h:5432/db");
    /* '@' inside the password: the last '@' before the host ends the userinfo */
    expect_masked("postgresql://u:p@ss@h/db", "postgresql://u:***@h/db");
    expect_masked("postgresql://u:pw@h/db?password=other&sslmode=require",
                  "postgresql://u:***@h/db?password=***&sslmode=require");
    expect_masked("host=h user=u password=s3cret dbname=d", "host=h user=u password=*** dbname=d");
    expect_masked("host=h password = 'a b\\' c' dbname=d", "host=h password = *** dbname=d");
    expect_masked("https://user:tok@example.com/hook", "https://user:***@example.com/hook");
    /* nothing to mask: unchanged */
    expect_masked("postgresql://u@h/db", "postgresql://u@h/db");
    expect_masked("postgresql://h/db?user=u", "postgresql://h/db?user=u");
    expect_masked("/data/ratchet.db", "/data/ratchet.db");
    expect_masked("mypassword=1", "mypassword=1");
    expect_masked("", "");
    assert_null(rt_url_mask(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schemes_choose_the_plugin),
        cmocka_unit_test(test_bad_urls_are_named),
        cmocka_unit_test(test_passwords_are_masked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
