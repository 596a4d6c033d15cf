# SPDX-License-Identifier: GPL-2.0-only
# bash completion for stormtop: subcommands, options, theme names, .rec files.

_stormtop_themes()
{
	local d dirs=(./themes "${XDG_CONFIG_HOME:-$HOME/.config}/stormtop/themes")
	local exe
	exe=$(command -v stormtop 2>/dev/null) && dirs+=("${exe%/*}/../share/stormtop/themes")
	dirs+=(/usr/share/stormtop/themes /usr/local/share/stormtop/themes)
	{
		echo default
		for d in "${dirs[@]}"; do
			[ -d "$d" ] && for f in "$d"/*.theme; do
				[ -e "$f" ] && f=${f##*/} && echo "${f%.theme}"
			done
		done
	} | sort -u
}

_stormtop()
{
	local cur prev words cword
	_init_completion || return

	local cmds="record play dump drill check stacks report diff"
	# each command's own options (stormtop CMD --help); the others are refused
	local host="--delay --iterations --thresholds --history --synthetic --prefix --root
		--disable --raw-tp --attach --attach-owner --jitter-probe --config --set
		--publish --prometheus --prometheus-top"
	local opts
	case ${words[1]} in
	record) opts="--output --follow-symlink --duration --rotate --keep --trigger --pre --post
		--trigger-dir --trigger-mem --pid $host" ;;
	play) opts="--iterations --cpus --cgroup --thresholds --history --no-color --theme --config --set" ;;
	dump) opts="--format --from --to --cpus --metrics" ;;
	drill) opts="--config --set --format" ;;
	check) opts="--format --prefix --root" ;;
	stacks) opts="--pid --seconds --output --delay --from --to --disable --prefix --root" ;;
	report) opts="--output --from --to --thresholds" ;;
	diff) opts="--html --output" ;;
	*) opts="$host --cpus --cgroup --batch --no-color --theme --probes --output --follow-symlink
		--rotate --keep" ;;
	esac
	opts="$opts --help --version"

	case $prev in
	--theme)
		COMPREPLY=($(compgen -W "$(_stormtop_themes)" -- "$cur"))
		[[ $cur == */* ]] && _filedir theme
		return ;;
	-r | play | dump | drill | stacks | report | diff)
		_filedir rec
		return ;;
	-o | --output)
		case ${words[1]} in report | diff) _filedir html ;; *) _filedir rec ;; esac
		return ;;
	--config)
		_filedir
		return ;;
	--prefix | --root)
		_filedir -d
		return ;;
	--format)
		COMPREPLY=($(compgen -W "csv json text" -- "$cur"))
		return ;;
	--rotate)
		COMPREPLY=($(compgen -W "daily 100M 1G" -- "$cur"))
		return ;;
	--disable)
		COMPREPLY=($(compgen -W "bpf perf sched_switch sched_wakeup sys_enter tlb_flush" -- "$cur"))
		return ;;
	--attach-owner)
		COMPREPLY=($(compgen -u -- "$cur"))
		return ;;
	-d | --delay | -n | --iterations | --cpus | --cgroup | --thresholds | --history | --synthetic | \
	--attach | --jitter-probe | --set | --publish | --prometheus | --prometheus-top | \
	--duration | --keep | --from | --to | --metrics | --pre | --post | --trigger-mem)
		return ;;
	--trigger)
		COMPREPLY=($(compgen -W "storm" -- "$cur"))
		return ;;
	--trigger-dir)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif ((cword == 1)); then
		COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
	fi
} &&
	complete -F _stormtop stormtop
