# Remote targeting (doc/cli.md "Remote use"): what is decided on this host, before any
# connection. tests/e2e/test_remote.sh runs the commands against real sshd and hosts.

# vCLI's options that mean nothing over SSH are refused in one line that says what to use.
$ esxcli --password secret network ip ipsec sa list
! esxcli: --password is not supported: ipsec6 logs in over SSH, never with a password: use SSH keys or an agent (ssh-agent), and --username or ~/.ssh/config
? 1

$ esxcli -s esx-1 -u root -p secret network ip ipsec sa list
! esxcli: --password is not supported: ipsec6 logs in over SSH, never with a password: use SSH keys or an agent (ssh-agent), and --username or ~/.ssh/config
? 1

$ esxcli --server esx-1 --sessionfile /tmp/session network ip ipsec sa list
! esxcli: --sessionfile is not supported: ipsec6 logs in over SSH, never with a password: use SSH keys or an agent (ssh-agent), and --username or ~/.ssh/config
? 1

$ esxcli --passthroughauth network ip ipsec sa list
! esxcli: --passthroughauth is not supported: ipsec6 logs in over SSH, never with a password: use SSH keys or an agent (ssh-agent), and --username or ~/.ssh/config
? 1

$ esxcli --thumbprint 12:34 network ip ipsec sa list
! esxcli: --thumbprint is not supported: SSH checks a host by its host key (known_hosts): use SSH keys or an agent for the login, nothing else
? 1

$ ipsec6 --url https://esx-1/sdk sa list
! ipsec6: --url is not supported: ipsec6 reaches hosts over SSH: use --server and --portnumber, with SSH keys or an agent for the login
? 1

$ vicfg-ipsec --server esx-1 --password secret --list-sa
! vicfg-ipsec: --password is not supported: ipsec6 logs in over SSH, never with a password: use SSH keys or an agent (ssh-agent), and --username or ~/.ssh/config
? 1

# The connection options' values and combinations.
$ esxcli --vihost esx-2 network ip ipsec sa list
! Error: --vihost needs --server
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli --username root network ip ipsec sa list
! Error: --username needs --server
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli --server esx-1 --portnumber 70000 network ip ipsec sa list
! Error: Invalid portnumber '70000': use 1-65535
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli --server=-oProxyCommand=touch network ip ipsec sa list
! Error: Invalid server '-oProxyCommand=touch': a host name or address (A-Za-z0-9 and .-_:%), not starting with '-'; the user goes in --username
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli --server root@esx-1 network ip ipsec sa list
! Error: Invalid server 'root@esx-1': a host name or address (A-Za-z0-9 and .-_:%), not starting with '-'; the user goes in --username
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli --server esx-1 --username '-l' network ip ipsec sa list
! Error: --username must have value
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ esxcli --server network ip ipsec sa list
! Error: Unknown command or namespace ip
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ ipsec6 --server esx-1 --socket run/ipsec6.sock sa list
! Error: --socket names a socket of this host: it cannot be used with --server
!
! Usage: ipsec6 [options] [network ip ipsec] {sa|sp} {cmd} [cmd options]
!        ipsec6 [options] {cmd}
!        ipsec6 [options] -f FILE
!
! Options:
!   -f|--file=<str>       Apply the commands in this file (- for standard input),
!                         one per line as ipsec6 save prints them, as one
!                         transaction: all of them or none.
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --socket=<str>        Control socket of ipsec6d (default: $IPSEC6_SOCKET, else
!                         /run/ipsec6/ipsec6.sock).
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   sa                    Operations on IPsec Security Associations.
!   sp                    Operations on IPsec Security Policies.
!   hosts                 The hosts this one manages, for --vihost: its inventory
!                         (/etc/ipsec6/hosts, or $IPSEC6_HOSTS).
!
! Available Commands:
!   save                  Print the configuration, keys included, one command per
!                         line: the file format that ipsec6 -f reads.
!   stats                 Show the data path's counters: packets, bytes and drops
!                         per Security Association, matches per Security Policy,
!                         and global drops.
!   monitor               Print ipsec6d's events as they happen, one line each,
!                         until interrupted: SAs and policies added, removed and
!                         replaced, reloads, lifetimes reached, drops (at most one
!                         line per SA and reason a second) and the daemon's stop.
!                         --formatter=json prints one JSON object per line.
? 1

# vicfg-ipsec cannot go through a management host, as VMware documents; it has no short
# options.
$ vicfg-ipsec --server vc-1 --vihost esx-2 --list-sa
! vicfg-ipsec: --vihost is not supported: vicfg-ipsec cannot go through a management host (vCenter); use esxcli --server=SERVER --vihost=HOST, or vicfg-ipsec --server=HOST
? 1

$ vicfg-ipsec -s esx-1 --list-sa
! Error: Invalid option -s
!
! Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
!        vicfg-ipsec --remove-sa <sa_name>
!        vicfg-ipsec --list-sa | --flush-sa
!        vicfg-ipsec --add-sp [SP options] <sp_name>
!        vicfg-ipsec --remove-sp <sp_name>
!        vicfg-ipsec --list-sp | --flush-sp
!
! Operations:
!   --add-sa              Add the Security Association named by the last word.
!   --remove-sa           Remove the Security Association named by the last word;
!                         refused while a policy uses it.
!   --list-sa             List the Security Associations.
!   --flush-sa            Remove every Security Association; the policies that
!                         used them then discard their traffic.
!   --add-sp              Add the Security Policy named by the last word.
!   --remove-sp           Remove the Security Policy named by the last word.
!   --list-sp             List the Security Policies, in the order they are
!                         matched.
!   --flush-sp            Remove every Security Policy.
!   --help                Print this help.
!
! SA options (with --add-sa):
!   --sa-src <str>        IPv6 address of the SA source, or any. (required)
!   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
!   --sa-mode <str>       SA mode: transport (the default) or tunnel.
!   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
!   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
!                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
!                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
!   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required unless --ealgo is null.
!   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
!                         extensions: hmac-sha2-384, hmac-sha2-512. Required
!                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
!   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; required with --ialgo.
!
! SP options (with --add-sp):
!   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
!                         or any. (required)
!   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
!                         (address/length), or any. (required)
!   --src-port <str>      Source port, 0-65535 or any (the default).
!   --dst-port <str>      Destination port, 0-65535 or any (the default); the
!                         ICMPv6 type with icmp6.
!   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
!                         icmp6.
!   --dir <str>           Direction of the traffic: in or out. (required)
!   --action <str>        Action: none, discard or ipsec. (required)
!   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
!                         the SA).
!   --sa-name <str>       The Security Association to use (action ipsec only).
!
! Connection options:
!   --server <str>        Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   --username <str>      User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber <long>   SSH port of --server (default: ssh's).
? 1

# A command's own errors come first, without a connection, as on the host itself.
$ esxcli --server esx-1 network ip ipsec sa remove
! Error: Exactly one of -a|--remove-all and -n|--sa-name is required
!
! Usage: esxcli network ip ipsec sa remove [cmd options]
!
! Description:
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
!
! Cmd options:
!   -a|--remove-all       Remove every Security Association, in use or not; the
!                         policies that used them then discard their traffic.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, to
!                         remove an auto SA.
!   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
!                         name it by --sa-source, --sa-destination and --sa-spi.
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
!                         remove an auto SA.
!   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
!                         (hex), to remove an auto SA.
? 1

# Without an ssh client (PATH has only the binary under test here).
$ esxcli --server esx-1 network ip ipsec sa list
! esxcli: cannot run ssh (No such file or directory): install OpenSSH's client, or set $IPSEC6_SSH
? 1

$ IPSEC6_SSH='no-such-ssh -x' esxcli --server esx-1 network ip ipsec sa list
! esxcli: cannot run no-such-ssh (No such file or directory): install OpenSSH's client, or set $IPSEC6_SSH
? 1

# The inventory of a management host, and its list.
$ IPSEC6_HOSTS=none ipsec6 hosts list
| Name  Host  Port  User
| ----  ----  ----  ----
? 0

%file hosts
< # The hosts this one manages
< esx-1   2001:db8:14::11
< esx-2   esx-2.example.net   port=2222 user=admin
<
< esx-3   2001:db8:14::13 user=root   # a comment
$ IPSEC6_HOSTS=hosts ipsec6 hosts list
| Name   Host               Port  User
| -----  -----------------  ----  -----
| esx-1  2001:db8:14::11
| esx-2  esx-2.example.net  2222  admin
| esx-3  2001:db8:14::13          root
? 0

$ IPSEC6_HOSTS=hosts ipsec6 --formatter=json hosts list
| [{"Name": "esx-1", "Host": "2001:db8:14::11", "Port": "", "User": ""}, {"Name": "esx-2", "Host": "esx-2.example.net", "Port": "2222", "User": "admin"}, {"Name": "esx-3", "Host": "2001:db8:14::13", "Port": "", "User": "root"}]
? 0

$ IPSEC6_HOSTS=hosts ipsec6 --formatter=csv hosts list
| Name,Host,Port,User
| esx-1,2001:db8:14::11,,
| esx-2,esx-2.example.net,2222,admin
| esx-3,2001:db8:14::13,,root
? 0

%file bad-hosts
< esx-1 2001:db8:14::11
< esx-2 -oProxyCommand=x
$ IPSEC6_HOSTS=bad-hosts ipsec6 hosts list
! bad-hosts line 2: a name or host of A-Za-z0-9 and .-_:% is required, not starting with '-'
? 1

%file bad-port
< esx-1 2001:db8:14::11 port=0
$ IPSEC6_HOSTS=bad-port ipsec6 hosts list
! bad-port line 1: 'port=0' is not port=1-65535 or user=NAME (once each)
? 1

%file twice
< esx-1 2001:db8:14::11
< esx-1 2001:db8:14::12
$ IPSEC6_HOSTS=twice ipsec6 hosts list
! twice line 2: 'esx-1' is named twice
? 1

# esxcli has no such namespace.
$ IPSEC6_HOSTS=hosts esxcli hosts list
! Error: Unknown command or namespace hosts
!
! Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
!
! Options:
!   --formatter=<str>     Override the formatter of list output: xml, csv,
!                         keyvalue or json (default: a table).
!   --screen-width=<long>
!                         Wrap help text at this many columns (default 80).
!   --debug               Print the socket, the request (keys hidden) and the
!                         status of the answer on standard error.
!   --version             Print the version and exit.
!   -?|--help             Print this help, or the help of the namespace or command
!                         that follows.
!   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
!                         BatchMode=yes: SSH keys or an agent, never a password).
!   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
!                         ~/.ssh/config).
!   --portnumber=<long>   SSH port of --server (default: ssh's).
!   -h|--vihost=<str>     With --server naming a management host: the managed host
!                         to run the command on, by its name in the management
!                         host's inventory (ipsec6 hosts list).
!
! Available Namespaces:
!   network               Operations on the network of the host; ipsec6 provides
!                         its IPsec part.
? 1

$ ipsec6 hosts --help
| Usage: ipsec6 hosts {cmd} [cmd options]
|
| Available Commands:
|   list                  List the hosts this one manages: the names --vihost
|                         takes, and how each is reached over SSH.
? 0
