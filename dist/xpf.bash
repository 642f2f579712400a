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
_xpf_verbs="load reload confirm unload status stats top exporter flows explain log check diff save suggest tables help"
_xpf_verb_options() {
	case $1 in
	load) echo "-c --config -m --mode --audit --enforce --force -h --help -v --verbose -j --json -p --pretty" ;;
	reload) echo "-c --config --audit --enforce --confirm --force -h --help -v --verbose -j --json -p --pretty" ;;
	confirm) echo "-h --help -v --verbose" ;;
	unload) echo "-h --help -v --verbose -j --json -p --pretty" ;;
	status) echo "-j --json -h --help -v --verbose -j --json -p --pretty" ;;
	stats) echo "--prometheus --by --denied --top -h --help -v --verbose -j --json -p --pretty" ;;
	top) echo "-i --interval --once -c --count -h --help -v --verbose" ;;
	exporter) echo "-l --listen -h --help -v --verbose" ;;
	flows) echo "-h --help -v --verbose -j --json -p --pretty" ;;
	explain) echo "--vlan --frag --reply -h --help -v --verbose -j --json -p --pretty" ;;
	log) echo "--syslog -h --help -v --verbose -j --json -p --pretty" ;;
	check) echo "-c --config --force --host -h --help -v --verbose -j --json -p --pretty" ;;
	diff) echo "-c --config -h --help -v --verbose -j --json -p --pretty" ;;
	save) echo "-h --help -v --verbose" ;;
	suggest) echo "-h --help -v --verbose -j --json -p --pretty" ;;
	tables) echo "-h --help -v --verbose -j --json -p --pretty" ;;
	help) echo "--man --completion -h --help -v --verbose" ;;
	esac
}
_xpf_interface_operands() {
	case $1 in
	load | reload | confirm | unload | status | stats | top | exporter | flows | explain | log | diff | save | suggest) return 0 ;;
	esac
	return 1
}
_xpf_option_values() {
	case $1 in
	load:-c | load:--config) echo "@site" ;;
	load:-m | load:--mode) echo "native skb auto" ;;
	reload:-c | reload:--config) echo "@site" ;;
	reload:--confirm) echo "" ;;
	stats:--by) echo "rule port" ;;
	stats:--top) echo "" ;;
	top:-i | top:--interval) echo "" ;;
	top:-c | top:--count) echo "" ;;
	exporter:-l | exporter:--listen) echo "" ;;
	explain:--vlan) echo "" ;;
	explain:--frag) echo "first next" ;;
	check:-c | check:--config) echo "@site" ;;
	check:--host) echo "" ;;
	diff:-c | diff:--config) echo "@site" ;;
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
			mapfile -t COMPREPLY < <(compgen -W "-j --json -p --pretty -v --verbose -h --help -V --version" -- "$cur")
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
