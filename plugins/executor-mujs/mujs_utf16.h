/*
 * mujs_utf16.h - text crossing between the host (UTF-8) and compiled tasks (UTF-16 code units).
 *
 * MuJS 1.3.2 keeps a string as UTF-8 and counts its characters as code points; a character
 * outside the Basic Multilingual Plane read from UTF-8 is one character. The task compiler
 * writes such characters in string literals as surrogate pairs ("\uD83D\uDE00"), which MuJS
 * stores as two 3-byte sequences (CESU-8), so that compiled code sees the UTF-16 code units
 * that ES2015 requires (length, charCodeAt, codePointAt, iteration by code point). Text that
 * enters a compiled task gets the same form (jsx_utf16_from_utf8), and text that leaves any
 * task is made UTF-8 again (jsx_utf16_to_utf8, jsx_utf16_fix).
 *
 * None of these functions throws; none keeps a pointer to its arguments.
 */
#ifndef MUJS_UTF16_H
#define MUJS_UTF16_H

#include <stddef.h>

/* UTF-8 with every 4-byte sequence written as a surrogate pair (two 3-byte sequences). *out
 * is NULL when `s` has none (use `s` as it is), else a host-allocated copy (host->free).
 * Returns 0, or -1 when memory runs out. */
int jsx_utf16_from_utf8(const char *s, char **out);

/* The reverse: every surrogate pair becomes one 4-byte sequence; a lone surrogate becomes the
 * escape \uXXXX when `json` is nonzero (the text is JSON, where surrogates only occur inside
 * strings, as Node's JSON.stringify writes them) and U+FFFD otherwise. *out is NULL when
 * nothing changes, else a host-allocated copy. Returns 0, or -1 when memory runs out. */
int jsx_utf16_to_utf8(const char *s, int json, char **out);

/* jsx_utf16_to_utf8 without `json`, in place (the text never grows); returns the new
 * length. */
size_t jsx_utf16_fix(char *s);

#endif
