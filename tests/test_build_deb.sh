#!/bin/sh
# test_build_deb.sh - scripts/build-deb as the README uses it, after the
# quick start built the program in the source tree:
#  1. without its tools, it names the packages to install;
#  2. when dpkg-buildpackage fails, its error lines are shown (not only the
#     end of the log, where configure's config.log ends up) and the log kept;
#  3. what it builds from holds no build output: from a git checkout
#     configured in place (git archive) and from a configured release tree
#     (make distdir);
#  4. the real build, in a git checkout configured in place with stray build
#     outputs (a fake program, a garbage object): the package builds, lintian
#     has no errors, and its program is the one built (ELF), not the stray;
#     unpacked, it passes tests/test_install.py --root (paths and links).
# Usage: tests/test_build_deb.sh [OUTDIR]   (OUTDIR keeps the package; scripts/test
# runs it). Skips (77) without dpkg-buildpackage, debhelper, fakeroot or lintian.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
for t in git dpkg-buildpackage dh fakeroot lintian; do
	command -v "$t" >/dev/null 2>&1 || { echo "skip: $t not installed"; exit 77; }
done
out=${1:-}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# A scratch checkout of this tree's tracked files (uncommitted changes
# included), committed, then configured in place with stray build outputs.
tree="$tmp/src"
mkdir -p "$tree"
snap=$(git stash create 2>/dev/null) || snap=
git archive "${snap:-HEAD}" | tar -xf - -C "$tree" || { bad "export of $top"; exit 1; }
(cd "$tree" && git init -q && git add -A &&
 git -c user.name=test -c user.email=test@invalid commit -q -m scratch) || { bad "git init"; exit 1; }
(cd "$tree" && ./autogen.sh >/dev/null 2>&1 && ./configure -q >"$tmp/configure.log" 2>&1) ||
	{ bad "configure in place: $(tail -5 "$tmp/configure.log")"; exit 1; }
printf '#!/bin/sh\necho stray\n' >"$tree/vtopocheck"
chmod +x "$tree/vtopocheck"
echo garbage >"$tree/src/cli/main.o"

# 1. Its tools missing: only dirname on PATH besides the shell's builtins.
mkdir "$tmp/nodeb"
ln -s "$(command -v dirname)" "$tmp/nodeb/dirname"
msg=$(PATH="$tmp/nodeb" /bin/sh "$tree/scripts/build-deb" "$tmp/out0" 2>&1)
rc=$?
case $msg in
*"needs dpkg-dev debhelper fakeroot lintian"*"apt-get install"*)
	[ $rc -ne 0 ] && ok "no tools: names the packages to install" ||
		bad "no tools: exit status 0" ;;
*) bad "no tools: rc $rc: $msg" ;;
esac

# 2 and 3. A dpkg-buildpackage that lists what it was given, prints a
# configure-like log with its error in the middle, and fails.
mkdir "$tmp/stub"
cat >"$tmp/stub/dpkg-buildpackage" <<STUB
#!/bin/sh
find . -type f | sort >"$tmp/export.txt"
echo "configure: error: source directory already configured; run \"make distclean\" there first"
i=0; while [ \$i -lt 60 ]; do echo "| #define NOISE_\$i 1"; i=\$((i + 1)); done
echo "configure: exit 1"
exit 2
STUB
chmod +x "$tmp/stub/dpkg-buildpackage"
clean_export() {
	if grep -qx './debian/rules' "$tmp/export.txt" && grep -qx './configure.ac' "$tmp/export.txt" &&
		! grep -E -q '^\./(config\.status|config\.log|Makefile|vtopocheck)$|\.o$|/\.git/' "$tmp/export.txt"; then
		ok "$1: the package is built from the source files only"
	else
		bad "$1: build outputs in what the package is built from: $(grep -E '^\./(config\.status|Makefile|vtopocheck)$|\.o$' "$tmp/export.txt" | head -5 | tr '\n' ' ')"
	fi
}
msg=$(cd "$tree" && PATH="$tmp/stub:$PATH" scripts/build-deb "$tmp/out1" 2>&1)
rc=$?
case $msg in
*"dpkg-buildpackage failed"*"source directory already configured"*"$tmp/out1/build.log"*)
	[ $rc -ne 0 ] && [ -s "$tmp/out1/build.log" ] &&
		ok "a failed build shows its error line and keeps its log" ||
		bad "a failed build: rc $rc, log $(ls "$tmp/out1")" ;;
*) bad "a failed build: rc $rc, the error is not shown: $msg" ;;
esac
clean_export "git checkout configured in place"
rm -f "$tmp/export.txt"
mv "$tree/.git" "$tmp/git-off"
msg=$(cd "$tree" && PATH="$tmp/stub:$PATH" scripts/build-deb "$tmp/out2" 2>&1)
mv "$tmp/git-off" "$tree/.git"
case $msg in
*"make distdir"*) clean_export "configured release tree (make distdir)" ;;
*) bad "configured release tree: not built from make distdir: $msg" ;;
esac

# 4. The real build.
res="${out:-$tmp/out3}"
if (cd "$tree" && scripts/build-deb "$res") >"$tmp/deb.log" 2>&1; then
	deb=$(ls "$res"/vtopocheck_*.deb | head -1)
	magic=$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/bin/vtopocheck | head -c 4 | od -An -c | tr -d ' ')
	[ "$magic" = '177ELF' ] &&
		ok "configured and built in place: the package builds, lintian has no errors, its program is the one built" ||
		bad "the packaged /usr/bin/vtopocheck is not a built program ($magic)"
	# What tests/test_install.py checks of `make install`, on the package.
	mkdir "$tmp/unpacked" && dpkg-deb -x "$deb" "$tmp/unpacked" &&
		VTC_SRCDIR="$top" python3 "$top/tests/test_install.py" --root "$tmp/unpacked" >"$tmp/inst.log" 2>&1 &&
		ok "the package's unit, examples, man page and documents: paths and links resolve" ||
		bad "the package's paths and links: $(grep FAIL "$tmp/inst.log")"
else
	bad "scripts/build-deb in a tree configured in place: $(tail -30 "$tmp/deb.log")"
fi
[ -z "$out" ] || cp "$tmp/deb.log" "$out/build-deb.log" 2>/dev/null
exit $fail
