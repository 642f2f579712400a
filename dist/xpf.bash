# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# bash completion for xpf(8): verbs, each verb's options, interface names, site files.
# Stands alone (no bash-completion helpers needed); installed where bash-completion looks.

_xpf_interfaces() {
	local dev
	for dev in /sys/class/net/*; do
		[ -e "$dev" ] && printf '%s\n' "${dev##*/}"
	done
}

# The verbs, their options and the words their arguments take, from xpf's verb tables.
# generated tables: begin (make cli-docs)
_xpf_verbs="load reload unload status stats top exporter flows explain log check tables help"
_xpf_verb_options() {
	case $1 in
	load) echo "-c --config -m --mode --audit --force -h --help" ;;
	reload) echo "-c --config --audit --enforce --force -h --help" ;;
	unload) echo "-h --help" ;;
	status) echo "-j --json -h --help" ;;
	stats) echo "-j --json --prometheus --by --denied --top -h --help" ;;
	top) echo "-i --interval --once -c --count -h --help" ;;
	exporter) echo "-l --listen -h --help" ;;
	flows) echo "-j --json -h --help" ;;
	explain) echo "-j --json --vlan --frag --reply -h --help" ;;
	log) echo "-j --json -h --help" ;;
	check) echo "-c --config -j --json -h --help" ;;
	tables) echo "-j --json -h --help" ;;
	help) echo "--man --completion -h --help" ;;
	esac
}
_xpf_interface_operands() {
	case $1 in
	load | reload | unload | status | stats | top | exporter | flows | explain | log) return 0 ;;
	esac
	return 1
}
_xpf_option_values() {
	case $1 in
	load:-c | load:--config) echo "@site" ;;
	load:-m | load:--mode) echo "native skb auto" ;;
	reload:-c | reload:--config) echo "@site" ;;
	stats:--by) echo "rule port" ;;
	stats:--top) echo "" ;;
	top:-i | top:--interval) echo "" ;;
	top:-c | top:--count) echo "" ;;
	exporter:-l | exporter:--listen) echo "" ;;
	explain:--vlan) echo "" ;;
	explain:--frag) echo "first next" ;;
	check:-c | check:--config) echo "@site" ;;
	*) return 1 ;;
	esac
}
# generated tables: end

_xpf() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local verb="" i values

	COMPREPLY=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) verb=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$verb" ]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "-v --verbose -h --help -V --version" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$_xpf_verbs" -- "$cur")
		fi
		return 0
	fi
	if values=$(_xpf_option_values "$verb:$prev"); then
		if [ "$values" = @site ]; then
			# site files: *.site, and directories to walk into
			mapfile -t COMPREPLY < <(compgen -f -X '!*.site' -- "$cur"; compgen -d -S / -- "$cur")
			compopt -o nospace -o filenames 2>/dev/null
		else
			mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
		fi
		return 0
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_xpf_verb_options "$verb")" -- "$cur")
	elif [ "$verb" = help ]; then
		mapfile -t COMPREPLY < <(compgen -W "$_xpf_verbs" -- "$cur")
	elif _xpf_interface_operands "$verb"; then
		mapfile -t COMPREPLY < <(compgen -W "$(_xpf_interfaces)" -- "$cur")
	fi
	return 0
}

complete -F _xpf xpf
