#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Every long option a command's --help lists is offered by the bash and
# zsh completions for that command and documented in man/stormtop.1: the
# reference is the binary's own --help, so an option added to the code but
# not to a completion or the man page fails here (--cgroup once did).
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

# Long options of `stormtop CMD --help` (CMD empty: live).
help_opts() {
	$BIN $1 --help 2>/dev/null | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z0-9-]+$' | sort -u
}

# What bash offers after `stormtop CMD [FILE] --`; the FILE keeps the
# command word from being the previous word (which completes files).
bash_opts() {
	local words="stormtop"
	[ -n "$1" ] && words="stormtop $1 x.rec"
	bash -c '. /usr/share/bash-completion/bash_completion; . completions/stormtop.bash
		COMP_WORDS=($1 --); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="${COMP_WORDS[*]}"
		COMP_POINT=${#COMP_LINE}; _stormtop stormtop -- "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$words"
}

# The options zsh keeps for CMD: each must have a spec in _stormtop's list
# and pass _stormtop_own's filter for the command.
zsh_opts() {
	local cmd=${1:-stormtop}
	shift
	zsh -f -c 'eval "$(sed "\$d" completions/_stormtop)"
		for o in "$@"; do
			grep -qE -- "[^a-z-]${o}[[,}]" completions/_stormtop && _stormtop_own "$1" "$o"
		done' _ "$cmd" "$@" 2>/dev/null | grep -v -x -- "$cmd"
}

have_bash=1 have_zsh=1
[ -f /usr/share/bash-completion/bash_completion ] || { have_bash=; skip "bash completion: bash-completion not installed (make test-deps)"; }
command -v zsh >/dev/null || { have_zsh=; skip "zsh completion: no zsh (make test-deps)"; }
for c in "" record play dump drill check stacks report diff; do
	name=${c:-live}
	opts=$(help_opts "$c")
	if [ -z "$opts" ]; then
		bad "$name --help lists no option (is $BIN built?)"
		continue
	fi
	miss=
	for o in $opts; do
		grep -q -- "$(sed 's/-/\\\\-/g' <<<"$o")" man/stormtop.1 || miss="$miss $o"
	done
	check "man/stormtop.1 documents every option of $name --help" "[ -z \"$miss\" ]" "missing:$miss"
	# README says every option is in the guide too (--cgroup and -o were not)
	miss=
	for o in $opts; do
		grep -qE -- "$o([^a-z-]|\$)" docs/GUIDE.md || miss="$miss $o"
	done
	check "docs/GUIDE.md documents every option of $name --help" "[ -z \"$miss\" ]" "missing:$miss"
	if [ -n "$have_bash" ]; then
		got=$(bash_opts "$c") miss=
		for o in $opts; do grep -qx -- "$o" <<<"$got" || miss="$miss $o"; done
		check "bash completes every option of $name --help" "[ -z \"$miss\" ]" "missing:$miss"
	fi
	if [ -n "$have_zsh" ]; then
		# shellcheck disable=SC2086
		got=$(zsh_opts "$c" $opts) miss=
		for o in $opts; do grep -qx -- "$o" <<<"$got" || miss="$miss $o"; done
		check "zsh completes every option of $name --help" "[ -z \"$miss\" ]" "missing:$miss"
	fi
done
summary completions
