# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# bash completion for xpf(8): verbs, each verb's options, interface names, site files.
# Stands alone (no bash-completion helpers needed); installed where bash-completion looks.

_xpf_interfaces() {
	local dev
	for dev in /sys/class/net/*; do
		[ -e "$dev" ] && printf '%s\n' "${dev##*/}"
	done
}

_xpf() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local verbs="load reload unload status stats top exporter flows explain log check tables"
	local verb="" i options=""

	COMPREPLY=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) verb=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$verb" ]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "-v --verbose -h --help --version" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$verbs" -- "$cur")
		fi
		return 0
	fi
	case $prev in
	-c | --config)
		# site files: *.site, and directories to walk into
		mapfile -t COMPREPLY < <(compgen -f -X '!*.site' -- "$cur"; compgen -d -S / -- "$cur")
		compopt -o nospace -o filenames 2>/dev/null
		return 0
		;;
	-m | --mode)
		mapfile -t COMPREPLY < <(compgen -W "native skb auto" -- "$cur")
		return 0
		;;
	--by)
		mapfile -t COMPREPLY < <(compgen -W "rule port" -- "$cur")
		return 0
		;;
	--frag)
		mapfile -t COMPREPLY < <(compgen -W "first next" -- "$cur")
		return 0
		;;
	--interval | --count | --listen | --top | --vlan)
		return 0
		;;
	esac
	case $verb in
	load) options="-c --config -m --mode --audit --force -h --help" ;;
	reload) options="-c --config --audit --enforce --force -h --help" ;;
	check) options="-c --config -j --json -h --help" ;;
	stats) options="-j --json --prometheus --by --denied --top -h --help" ;;
	explain) options="-j --json --vlan --frag --reply -h --help" ;;
	log) options="-j --json -h --help" ;;
	top) options="--interval --once --count -h --help" ;;
	exporter) options="--listen -h --help" ;;
	flows) options="-j -h --help" ;;
	tables) options="-j -h --help" ;;
	*) options="-h --help" ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
	elif [ "$verb" = tables ]; then
		# `show`, then a built-in table's name (the binary lists them)
		if [ "$prev" = show ]; then
			mapfile -t COMPREPLY < <(compgen -W "$(xpf tables 2>/dev/null |
				sed -n 's/^\([a-z0-9-]*\): .*/\1/p')" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "show" -- "$cur")
		fi
	elif [ "$verb" != check ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_xpf_interfaces)" -- "$cur")
	fi
	return 0
}

complete -F _xpf xpf
