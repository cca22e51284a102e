#!/usr/bin/env bash
# An HTTP task registry followed by `ratchet tasks sync`: `registry serve-index` publishes a
# folder, a test server on loopback serves it with ETags; the second fetch is a 304 that
# changes nothing, a new version is picked up, bad zips (corrupt, zip-slip, oversized, sha256
# mismatch, the wrong task) are refused with a message naming them while the others are
# stored, the same name and version with other content is reported with both places, and an
# unreachable registry keeps the last good versions.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
source "$RATCHET_SOURCE_DIR/tests/integration/registry_lib.sh"
S=$RATCHET_SOURCE_DIR/sample
PUB=$WORK/pub
mkdir -p "$PUB"
cp -r "$S/addition" "$S/dummy-task" "$PUB/"

# ---- publishing --------------------------------------------------------------------------
run "$RATCHET_BIN" registry serve-index "$PUB"
expect_rc 0 "serve-index"
expect_out_contains "addition-1.0.0.zip" "the zip of a task folder is listed"
expect_out_contains "wrote $PUB/index.json (2 tasks)" "the index is written"
SHA1=$(sha256sum "$PUB/addition-1.0.0.zip" | cut -c1-64)
CHECKS=$((CHECKS + 1))
if python3 - "$PUB/index.json" "$SHA1" <<'PY'
import json, os, sys
ix = json.load(open(sys.argv[1]))
t = {e["name"]: e for e in ix["tasks"]}
a = t["addition"]
assert ix["registry"] == 1, ix
assert a["url"] == "addition-1.0.0.zip" and a["version"] == "1.0.0", a
assert a["sha256"] == sys.argv[2], a
assert a["size"] == os.path.getsize(os.path.join(os.path.dirname(sys.argv[1]), a["url"])), a
PY
then pass "the index lists url, sha256 and size"; else fail "the index is not as expected"; fi
run "$RATCHET_BIN" registry serve-index "$PUB"
expect_rc 0 "serve-index again (its own zips in DIR are not tasks twice)"
expect_eq "$(sha256sum "$PUB/addition-1.0.0.zip" | cut -c1-64)" "$SHA1" "an unchanged folder gives the same zip"
run "$RATCHET_BIN" registry serve-index "$PUB" -o "$WORK/other/index.json"
expect_rc 1 "serve-index into a missing folder"
expect_err_contains "the index's folder $WORK/other does not exist" "the missing folder is named"
run "$RATCHET_BIN" registry serve-index "$WORK/nope"
expect_rc 1 "serve-index of a missing folder"
expect_err_contains "$WORK/nope: No such file or directory" "the missing folder is named"
mkdir -p "$WORK/badpub/broken" && cp -r "$S/addition" "$WORK/badpub/" && echo '{' >"$WORK/badpub/broken/metadata.json"
run "$RATCHET_BIN" registry serve-index "$WORK/badpub" --base-url "http://example.invalid/r"
expect_rc 1 "serve-index with a broken task"
expect_err_contains "$WORK/badpub/broken/metadata.json: line 2" "the broken task is named with its line"
expect_err_contains "$WORK/badpub/index.json not written" "no index is written"
rm -rf "$WORK/badpub/broken"
run "$RATCHET_BIN" registry serve-index "$WORK/badpub" --base-url "http://example.invalid/r/"
expect_rc 0 "serve-index --base-url"
expect_out_contains "wrote $WORK/badpub/index.json (1 task)" "one task published"
grep -q '"url": "http://example.invalid/r/addition-1.0.0.zip"' "$WORK/badpub/index.json" &&
  pass "--base-url makes absolute URLs" || fail "--base-url: $(cat "$WORK/badpub/index.json")"
# A zip of another name is copied as NAME-VERSION.zip; a second run lists it once.
mkdir -p "$WORK/zips" && (cd "$S/dummy-task" && python3 -c '
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for root, _, files in os.walk("."):
        for f in files:
            z.write(os.path.join(root, f))' "$WORK/zips/my-dummy.zip")
run "$RATCHET_BIN" registry serve-index "$WORK/zips"
expect_rc 0 "serve-index of a folder of zips"
expect_out_contains "dummy-task-1.0.0.zip" "the zip is listed under its task's name"
run "$RATCHET_BIN" registry serve-index "$WORK/zips"
expect_rc 0 "serve-index of a folder of zips, again"
expect_out_contains "wrote $WORK/zips/index.json (1 task)" "the copy is not a second task"
run "$RATCHET_BIN" registry serve-index
expect_rc 2 "serve-index without a folder"
expect_err_contains "serve-index needs the folder of tasks" "usage names what is missing"

# ---- following it ------------------------------------------------------------------------
start_registry "$PUB"
cat >"$WORK/r.yaml" <<YAML
registry:
  sources:
    - name: team
      type: http
      uri: $REG/index.json
      max_zip_size: 256KiB
YAML
R=("$RATCHET_BIN" --config "$WORK/r.yaml" --data-dir "$WORK/data")
run "${R[@]}" config validate
expect_rc 0 "the configuration validates"
run "${R[@]}" tasks sync
expect_rc 0 "first sync"
expect_out_contains "added     addition 1.0.0" "a registry task is added"
expect_out_contains "2 added, 0 updated, 0 unchanged, 0 failed" "the counts of the first sync"
expect_eq "$(stats /index.json 200)" 1 "the index was fetched once"
expect_eq "$(stats /addition-1.0.0.zip 200)" 1 "the zip was downloaded once"
run "${R[@]}" tasks sync
expect_rc 0 "second sync"
expect_out_contains "0 added, 0 updated, 2 unchanged, 0 failed" "nothing changed"
expect_eq "$(stats /index.json 304)" 1 "the second fetch of the index is a 304"
expect_eq "$(stats /addition-1.0.0.zip 200)" 1 "the zip is not downloaded again"
run "${R[@]}" tasks show addition --json
expect_out_contains "\"source\": \"$REG/addition-1.0.0.zip\"" "the version's source is the zip's URL"
run "${R[@]}" registry list
expect_out_contains "team" "registry list names the source"
expect_out_contains "$REG/index.json" "registry list shows its index URL"

# A new version published is picked up.
sed -i 's/"version": "1.0.0"/"version": "1.1.0"/' "$PUB/addition/metadata.json"
"$RATCHET_BIN" registry serve-index "$PUB" >/dev/null || fail "serve-index of 1.1.0"
run "${R[@]}" tasks sync
expect_rc 0 "sync after a new version"
expect_out_contains "updated   addition 1.1.0" "the new version is reported as updated"
expect_out_contains "0 added, 1 updated, 2 unchanged, 0 failed" "the counts with a new version (1.0.0's zip stays published)"

# A task taken out of the index is disabled (its versions stay); back in, it is enabled again.
enabled() {
  "${R[@]}" tasks list --json | python3 -c '
import json, sys
print([t.get("enabled") for t in json.load(sys.stdin) if t["name"] == sys.argv[1]])' "$1"
}
mv "$PUB/dummy-task" "$PUB/dummy-task-1.0.0.zip" "$WORK/"
"$RATCHET_BIN" registry serve-index "$PUB" >/dev/null || fail "serve-index without dummy-task"
run "${R[@]}" tasks sync
expect_rc 0 "sync after a task left the index"
expect_eq "$(enabled dummy-task)" "[False]" "the task gone from the index is disabled"
mv "$WORK/dummy-task" "$WORK/dummy-task-1.0.0.zip" "$PUB/"
"$RATCHET_BIN" registry serve-index "$PUB" >/dev/null || fail "serve-index with dummy-task"
run "${R[@]}" tasks sync
expect_rc 0 "sync after the task came back"
expect_eq "$(enabled dummy-task)" "[True]" "the task back in the index is enabled again"
expect_eq "$(stats /dummy-task-1.0.0.zip 200)" 1 "its zip was not downloaded again"

# ---- bad zips ----------------------------------------------------------------------------
python3 - "$PUB" <<'PY'
import hashlib, io, json, os, sys, zipfile
pub = sys.argv[1]
meta = lambda name: json.dumps({"name": name, "version": "1.0.0", "description": "x"})
def write(name, files):
    with zipfile.ZipFile(os.path.join(pub, name), "w") as z:
        for n, data in files:
            z.writestr(n, data)
code = "function main(input) { return input; }\n"
write("slip-1.0.0.zip", [("metadata.json", meta("slip")), ("main.js", code), ("../evil.js", code)])
write("liar-1.0.0.zip", [("metadata.json", meta("other")), ("main.js", code)])
write("abs-1.0.0.zip", [("metadata.json", meta("abs")), ("main.js", code), ("/tmp/evil.js", code)])
link = zipfile.ZipInfo("tests")
link.external_attr = (0o120777 << 16)  # a symlink entry, pointing out of the folder
write("link-1.0.0.zip", [("metadata.json", meta("link")), ("main.js", code), (link, "/etc")])
write("shaw-1.0.0.zip", [("metadata.json", meta("shaw")), ("main.js", code)])
with open(os.path.join(pub, "corrupt-1.0.0.zip"), "wb") as f:
    f.write(b"PK\x03\x04 this is not a zip archive at all" * 10)
ix = json.load(open(os.path.join(pub, "index.json")))
ix["tasks"] += [
    {"name": "corrupt", "version": "1.0.0", "url": "corrupt-1.0.0.zip"},
    {"name": "slip", "version": "1.0.0", "url": "slip-1.0.0.zip"},
    {"name": "liar", "version": "1.0.0", "url": "liar-1.0.0.zip"},
    {"name": "abs", "version": "1.0.0", "url": "abs-1.0.0.zip"},
    {"name": "link", "version": "1.0.0", "url": "link-1.0.0.zip"},
    {"name": "shaw", "version": "1.0.0", "url": "shaw-1.0.0.zip", "sha256": "0" * 64},
    {"name": "huge", "version": "1.0.0", "url": "huge-1.0.0.zip"},
    {"name": "big", "version": "1.0.0", "url": "big-1.0.0.zip", "size": 10 ** 9},
    {"name": "bad name!", "version": "1.0.0", "url": "x.zip"},
]
json.dump(ix, open(os.path.join(pub, "index.json"), "w"), indent=1)
PY
fault /huge-1.0.0.zip stream
run "${R[@]}" tasks sync
expect_rc 1 "a sync with bad zips fails"
expect_out_contains "corrupt-1.0.0.zip: not a readable .zip archive" "a corrupt zip is refused"
expect_out_contains "entry '../evil.js' escapes the task folder" "a zip-slip entry is refused and named"
expect_out_contains "the index lists liar 1.0.0, but the zip holds other 1.0.0; refused" "a zip holding another task is refused"
expect_out_contains "$REG/abs-1.0.0.zip: entry '/tmp/evil.js' escapes the task folder" "an absolute entry is refused and named"
expect_out_contains "$REG/link-1.0.0.zip: entry 'tests' is a symbolic link" "a symlink entry is refused and named"
expect_out_contains "task shaw 1.0.0: sha256 mismatch for $REG/shaw-1.0.0.zip: the index says 0000" "a sha256 mismatch is refused"
expect_out_contains "task huge 1.0.0: the zip $REG/huge-1.0.0.zip is larger than max_zip_size (262144 bytes)" "an oversized zip is refused"
expect_out_contains "task big 1.0.0: the index gives its zip as 1000000000 bytes, over max_zip_size" "a zip the index says is too big is not downloaded"
expect_out_contains "tasks[11].name: 'bad name!' is not a task name" "a bad index entry is named"
expect_out_contains "0 added, 0 updated, 3 unchanged, 9 failed" "the good tasks are still there"
SENT=$(stats /huge-1.0.0.zip bytes)
CHECKS=$((CHECKS + 1))
if [ "$SENT" -lt $((16 * 1024 * 1024)) ]; then pass "the oversized download was cut off while it ran ($SENT of 67108864 bytes sent)"
else fail "the oversized download was not cut off: $SENT bytes sent"; fi
expect_eq "$(stats /big-1.0.0.zip started)" 0 "a zip over the limit by the index is never requested"
run "${R[@]}" tasks list
expect_out_lacks "slip" "the zip-slip task is not stored"
expect_out_lacks "corrupt" "the corrupt task is not stored"

# ---- the same name and version with other content ----------------------------------------
mkdir -p "$WORK/local"
cp -r "$PUB/addition" "$WORK/local/addition"
echo '// a local change' >>"$WORK/local/addition/main.js"
run "${R[@]}" --tasks "$WORK/local" tasks sync
expect_rc 1 "a local copy of a registry version with other content"
expect_out_contains "task addition 1.1.0 from $WORK/local/addition is already stored with different content from $REG/addition-1.1.0.zip" "both places are named"
run "$RATCHET_BIN" --config "$WORK/r.yaml" --data-dir "$WORK/data2" --tasks "$WORK/local" tasks sync
expect_rc 1 "a fresh storage with both copies"
expect_out_contains "task addition 1.1.0 is in both $WORK/local/addition and $REG/addition-1.1.0.zip with different content" "both places are named in one sync"
run "${R[@]}" tasks show addition --version 1.1.0 --json
expect_out_contains "\"source\": \"$REG/addition-1.1.0.zip\"" "the stored copy stays"
# A second registry (a mirror) with other content under the same name and version.
mkdir -p "$PUB/mirror"
cp -r "$WORK/local/addition" "$PUB/mirror/"
"$RATCHET_BIN" registry serve-index "$PUB/mirror" >/dev/null || fail "serve-index mirror"
cat >>"$WORK/r.yaml" <<YAML
    - name: mirror
      uri: $REG/mirror/index.json
YAML
run "${R[@]}" tasks sync
expect_rc 1 "two registries with one version in two contents"
expect_out_contains "task addition 1.1.0 is in both $REG/addition-1.1.0.zip and $REG/mirror/addition-1.1.0.zip with different content" "both registries are named"
sed -i '/name: mirror/,$d' "$WORK/r.yaml"

# ---- unreachable -------------------------------------------------------------------------
stop_registry
run "${R[@]}" tasks sync
expect_rc 1 "a sync with the registry down"
expect_out_contains "registry team: cannot fetch the index $REG/index.json" "the unreachable registry is reported"
expect_out_contains "keeping the last good index (fetched " "the last good index is kept"
expect_out_contains "3 unchanged" "its tasks stay"
expect_out_lacks "cannot download" "no zip is tried while the index is unreachable"
run "${R[@]}" tasks list
expect_out_contains "addition" "tasks list still has the registry's task"
run "${R[@]}" jobs submit --task addition --input-json '{"num1": 1, "num2": 2}' --json
expect_rc 0 "operator commands work offline (from the cache)"

# ---- a registry that needs a token -------------------------------------------------------
mkdir -p "$WORK/priv"
cp -r "$S/dummy-task" "$WORK/priv/"
"$RATCHET_BIN" registry serve-index "$WORK/priv" >/dev/null || fail "serve-index priv"
REG_TOKEN=s3cret start_registry "$WORK/priv"
cat >"$WORK/t.yaml" <<YAML
registry:
  sources:
    - name: private
      uri: $REG/index.json
      auth: {type: bearer, token_env: PRIV_TOKEN}
YAML
run env -u PRIV_TOKEN "$RATCHET_BIN" --config "$WORK/t.yaml" --data-dir "$WORK/data3" tasks sync
expect_rc 1 "a sync without the token"
expect_out_contains "auth.token_env names PRIV_TOKEN, which is not set in the environment" "the missing variable is named"
expect_out_contains "the index $REG/index.json answered HTTP 401" "the server's refusal is reported"
PRIV_TOKEN=s3cret run "$RATCHET_BIN" --config "$WORK/t.yaml" --data-dir "$WORK/data3" tasks sync
expect_rc 0 "a sync with the token"
expect_out_contains "added     dummy-task 1.0.0" "the private registry's task is stored"
finish
