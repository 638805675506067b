# Every help page: the namespaces (what a namespace without a command prints), every command's
# --help (and -?) as ipsec6 (native options shown) and as esxcli (native options hidden),
# the doc forms, --screen-width, vicfg-ipsec --help.

$ ipsec6
| Usage: ipsec6 [options] [network ip ipsec] {sa|sp} {cmd} [cmd options]
|        ipsec6 [options] {cmd}
|        ipsec6 [options] -f FILE
|
| Options:
|   -f|--file=<str>       Apply the commands in this file (- for standard input),
|                         one per line as ipsec6 save prints them, as one
|                         transaction: all of them or none.
|   --formatter=<str>     Override the formatter of list output: xml, csv,
|                         keyvalue or json (default: a table).
|   --screen-width=<long>
|                         Wrap help text at this many columns (default 80).
|   --debug               Print the socket, the request (keys hidden) and the
|                         status of the answer on standard error.
|   --socket=<str>        Control socket of ipsec6d (default: $IPSEC6_SOCKET, else
|                         /run/ipsec6/ipsec6.sock).
|   --version             Print the version and exit.
|   -?|--help             Print this help, or the help of the namespace or command
|                         that follows.
|   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
|                         BatchMode=yes: SSH keys or an agent, never a password).
|   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
|                         ~/.ssh/config).
|   --portnumber=<long>   SSH port of --server (default: ssh's).
|   -h|--vihost=<str>     With --server naming a management host: the managed host
|                         to run the command on, by its name in the management
|                         host's inventory (ipsec6 hosts list).
|
| Available Namespaces:
|   sa                    Operations on IPsec Security Associations.
|   sp                    Operations on IPsec Security Policies.
|   hosts                 The hosts this one manages, for --vihost: its inventory
|                         (/etc/ipsec6/hosts, or $IPSEC6_HOSTS).
|
| Available Commands:
|   save                  Print the configuration, keys included, one command per
|                         line: the file format that ipsec6 -f reads.
|   stats                 Show the data path's counters: packets, bytes and drops
|                         per Security Association, matches per Security Policy,
|                         and global drops.
|   monitor               Print ipsec6d's events as they happen, one line each,
|                         until interrupted: SAs and policies added, removed and
|                         replaced, reloads, lifetimes reached, drops (at most one
|                         line per SA and reason a second) and the daemon's stop.
|                         --formatter=json prints one JSON object per line.
? 0

$ ipsec6 --help
| Usage: ipsec6 [options] [network ip ipsec] {sa|sp} {cmd} [cmd options]
|        ipsec6 [options] {cmd}
|        ipsec6 [options] -f FILE
|
| Options:
|   -f|--file=<str>       Apply the commands in this file (- for standard input),
|                         one per line as ipsec6 save prints them, as one
|                         transaction: all of them or none.
|   --formatter=<str>     Override the formatter of list output: xml, csv,
|                         keyvalue or json (default: a table).
|   --screen-width=<long>
|                         Wrap help text at this many columns (default 80).
|   --debug               Print the socket, the request (keys hidden) and the
|                         status of the answer on standard error.
|   --socket=<str>        Control socket of ipsec6d (default: $IPSEC6_SOCKET, else
|                         /run/ipsec6/ipsec6.sock).
|   --version             Print the version and exit.
|   -?|--help             Print this help, or the help of the namespace or command
|                         that follows.
|   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
|                         BatchMode=yes: SSH keys or an agent, never a password).
|   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
|                         ~/.ssh/config).
|   --portnumber=<long>   SSH port of --server (default: ssh's).
|   -h|--vihost=<str>     With --server naming a management host: the managed host
|                         to run the command on, by its name in the management
|                         host's inventory (ipsec6 hosts list).
|
| Available Namespaces:
|   sa                    Operations on IPsec Security Associations.
|   sp                    Operations on IPsec Security Policies.
|   hosts                 The hosts this one manages, for --vihost: its inventory
|                         (/etc/ipsec6/hosts, or $IPSEC6_HOSTS).
|
| Available Commands:
|   save                  Print the configuration, keys included, one command per
|                         line: the file format that ipsec6 -f reads.
|   stats                 Show the data path's counters: packets, bytes and drops
|                         per Security Association, matches per Security Policy,
|                         and global drops.
|   monitor               Print ipsec6d's events as they happen, one line each,
|                         until interrupted: SAs and policies added, removed and
|                         replaced, reloads, lifetimes reached, drops (at most one
|                         line per SA and reason a second) and the daemon's stop.
|                         --formatter=json prints one JSON object per line.
? 0

$ ipsec6 sa
| Usage: ipsec6 sa {cmd} [cmd options]
|
| Available Commands:
|   add                   Add a Security Association.
|   list                  List the Security Associations, in the order they were
|                         added. Keys are never listed.
|   remove                Remove Security Associations: one by name, an auto SA by
|                         source, destination and SPI, or all.
|   rekey                 Give a Security Association a new SPI and new keys in
|                         one step; the policies that name it go on with them. The
|                         old SPI is still accepted inbound for the grace period.
|   export                Print the Security Associations with their keys, for
|                         Wireshark to decrypt ESP.
? 0

$ ipsec6 sp
| Usage: ipsec6 sp {cmd} [cmd options]
|
| Available Commands:
|   add                   Add a Security Policy. Policies are matched in the order
|                         they were added; the first match wins.
|   list                  List the Security Policies, in the order they are
|                         matched.
|   remove                Remove Security Policies: one by name, or all.
? 0

$ ipsec6 network
| Usage: ipsec6 network {cmd} [cmd options]
|
| Available Namespaces:
|   ip                    Operations on the IP stack; ipsec6 provides its IPsec
|                         part.
? 0

$ ipsec6 network ip
| Usage: ipsec6 network ip {cmd} [cmd options]
|
| Available Namespaces:
|   ipsec                 IPsec for IPv6: Security Associations and Security
|                         Policies with manual keys.
? 0

$ ipsec6 network ip ipsec
| Usage: ipsec6 network ip ipsec {cmd} [cmd options]
|
| Available Namespaces:
|   sa                    Operations on IPsec Security Associations.
|   sp                    Operations on IPsec Security Policies.
? 0

$ ipsec6 sa add --help
| Usage: ipsec6 sa add [cmd options]
|
| Description:
|   add                   Add a Security Association.
|
| Cmd options:
|   --added=<long>        When the SA was added, in seconds since 1970 (UTC);
|                         default now. ipsec6d writes it into its configuration
|                         file for SAs with a time limit, so that their age
|                         survives restarts.
|   --byte-hard=<long>    Hard lifetime in bytes protected and accepted (before
|                         ESP), counted since the SA was added: once reached, the
|                         SA carries no more traffic in either direction.
|   --byte-soft=<long>    Soft lifetime in bytes: once reached, an event and a log
|                         line; nothing else changes.
|   --encapsulation=<str>
|                         ipsec6 extension: udp carries the SA's ESP packets in
|                         UDP (RFC 3948), from and to port 4500 unless
|                         --encapsulation-ports says otherwise; none (the default)
|                         is plain ESP. Both peers must agree.
|   --encapsulation-ports=<str>
|                         ipsec6 extension: the UDP source and destination ports
|                         of the SA's ESP in UDP, each 1-65535 (default
|                         4500:4500); implies --encapsulation=udp.
|   -e|--encryption-algorithm=<str>
|                         Encryption algorithm of the Security Association: null,
|                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
|                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
|                         ICV, RFC 4106, which takes no integrity algorithm). null
|                         means no encryption. (required)
|   -k|--encryption-key=<str>
|                         Encryption key: 0x followed by hexadecimal digits, or an
|                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
|                         32 for aes256-cbc, the AES key and then a 4-byte salt
|                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
|                         Required unless the encryption algorithm is null, which
|                         takes no key.
|   --encryption-key-file=<str>
|                         Read the encryption key from this file (one line), so
|                         that it does not appear in the process list.
|   --esn                 Extended sequence numbers (RFC 4303 section 2.2.1):
|                         64-bit sequence numbers whose high half is authenticated
|                         but never sent, so that a manually keyed SA never runs
|                         out of them. Both peers must agree. Without it an SA
|                         stops sending at 2^32 - 1 packets.
|   --grace-period=<long>
|                         With --retired: how many seconds after it was retired
|                         the SA still accepts inbound packets. ipsec6d writes it
|                         into its configuration file.
|   -i|--integrity-algorithm=<str>
|                         Integrity algorithm of the Security Association:
|                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
|                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
|                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
|                         Required, except with aes128-gcm16 and aes256-gcm16,
|                         which take none.
|   -K|--integrity-key=<str>
|                         Integrity key: 0x followed by hexadecimal digits, or an
|                         ASCII string; 20 bytes for hmac-sha1, 32 for
|                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
|                         hmac-sha2-512. Required with an integrity algorithm.
|   --integrity-key-file=<str>
|                         Read the integrity key from this file (one line), so
|                         that it does not appear in the process list.
|   --packet-hard=<long>  Hard lifetime in packets protected and accepted, counted
|                         since the SA was added: once reached, the SA carries no
|                         more traffic in either direction.
|   --packet-soft=<long>  Soft lifetime in packets: once reached, an event and a
|                         log line; nothing else changes.
|   --replay-window=<long>
|                         Anti-replay window in packets, 32-65536 (default 64).
|   --retired=<long>      The SA was replaced by `sa rekey` at this time, in
|                         seconds since 1970 (UTC): it sends nothing and accepts
|                         inbound packets for --grace-period seconds from then.
|                         ipsec6d writes it into its configuration file, so that a
|                         restart keeps the grace.
|   -d|--sa-destination=<str>
|                         IPv6 address of the Security Association destination, or
|                         any. (required)
|   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
|                         tunnel.
|   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
|                         A-Za-z0-9_.-; auto is reserved. (required)
|   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
|                         (required)
|   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
|                         digits, 0x100-0xffffffff. (required)
|   --time-hard=<long>    Hard lifetime in seconds since the SA was added: once
|                         reached, the SA carries no more traffic in either
|                         direction; it stays listed until replaced or removed.
|   --time-soft=<long>    Soft lifetime in seconds since the SA was added: once
|                         reached, an event and a log line; nothing else changes.
? 0

$ ipsec6 sa list --help
| Usage: ipsec6 sa list [cmd options]
|
| Description:
|   list                  List the Security Associations, in the order they were
|                         added. Keys are never listed.
? 0

$ ipsec6 sa remove --help
| Usage: ipsec6 sa remove [cmd options]
|
| Description:
|   remove                Remove Security Associations: one by name, an auto SA by
|                         source, destination and SPI, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Association, in use or not; the
|                         policies that used them then discard their traffic.
|   -d|--sa-destination=<str>
|                         IPv6 address of the Security Association destination, to
|                         remove an auto SA.
|   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
|                         name it by --sa-source, --sa-destination and --sa-spi.
|   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
|                         remove an auto SA.
|   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
|                         (hex), to remove an auto SA.
? 0

$ ipsec6 sa export --help
| Usage: ipsec6 sa export [cmd options]
|
| Description:
|   export                Print the Security Associations with their keys, for
|                         Wireshark to decrypt ESP.
|
| Cmd options:
|   --show-keys           Print the keys: this command exists to print them, and
|                         does nothing without this option.
|   --wireshark           Wireshark's esp_sa format: one line per SA, for the
|                         esp_sa file or tshark -o 'uat:esp_sa:LINE'. (required)
? 0

$ ipsec6 sp add --help
| Usage: ipsec6 sp add [cmd options]
|
| Description:
|   add                   Add a Security Policy. Policies are matched in the order
|                         they were added; the first match wins.
|
| Cmd options:
|   -A|--action=<str>     Action for the traffic the policy selects: none (pass it
|                         as it is), discard (drop it) or ipsec (protect it with a
|                         Security Association). (required)
|   --dangling            With --sa-name: the Security Association need not exist
|                         yet; until it does, the policy discards its traffic.
|   -t|--destination-port=<str>
|                         Destination port, 0-65535 or any (the default); with
|                         icmp6, the ICMPv6 type.
|   -w|--flow-direction=<str>
|                         Direction of the traffic: in or out. (required)
|   -a|--sa-name=<str>    Name of the Security Association to use (action ipsec
|                         only). Without it, each packet uses the first SA whose
|                         addresses and mode match.
|   -o|--source-port=<str>
|                         Source port, 0-65535 or any (the default); not used with
|                         icmp6.
|   -d|--sp-destination=<str>
|                         Destination of the traffic: an IPv6 prefix
|                         (address/length), or any. (required)
|   -m|--sp-mode=<str>    Security Policy mode: transport or tunnel (default: the
|                         mode of the Security Association, else transport).
|   -n|--sp-name=<str>    Name of the Security Policy: 1-64 characters of
|                         A-Za-z0-9_.-. (required)
|   -s|--sp-source=<str>  Source of the traffic: an IPv6 prefix (address/length),
|                         or any. (required)
|   -P|--upper-layer-protocol=<str>
|                         Upper layer protocol: any (the default), tcp, udp or
|                         icmp6.
? 0

$ ipsec6 sp list --help
| Usage: ipsec6 sp list [cmd options]
|
| Description:
|   list                  List the Security Policies, in the order they are
|                         matched.
? 0

$ ipsec6 sp remove --help
| Usage: ipsec6 sp remove [cmd options]
|
| Description:
|   remove                Remove Security Policies: one by name, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Policy.
|   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 0

$ ipsec6 save --help
| Usage: ipsec6 save [cmd options]
|
| Description:
|   save                  Print the configuration, keys included, one command per
|                         line: the file format that ipsec6 -f reads.
? 0

$ ipsec6 network ip ipsec sp remove -?
| Usage: ipsec6 network ip ipsec sp remove [cmd options]
|
| Description:
|   remove                Remove Security Policies: one by name, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Policy.
|   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 0

$ esxcli
| Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
|
| Options:
|   --formatter=<str>     Override the formatter of list output: xml, csv,
|                         keyvalue or json (default: a table).
|   --screen-width=<long>
|                         Wrap help text at this many columns (default 80).
|   --debug               Print the socket, the request (keys hidden) and the
|                         status of the answer on standard error.
|   --version             Print the version and exit.
|   -?|--help             Print this help, or the help of the namespace or command
|                         that follows.
|   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
|                         BatchMode=yes: SSH keys or an agent, never a password).
|   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
|                         ~/.ssh/config).
|   --portnumber=<long>   SSH port of --server (default: ssh's).
|   -h|--vihost=<str>     With --server naming a management host: the managed host
|                         to run the command on, by its name in the management
|                         host's inventory (ipsec6 hosts list).
|
| Available Namespaces:
|   network               Operations on the network of the host; ipsec6 provides
|                         its IPsec part.
? 0

$ esxcli -?
| Usage: esxcli [options] {namespace}+ {cmd} [cmd options]
|
| Options:
|   --formatter=<str>     Override the formatter of list output: xml, csv,
|                         keyvalue or json (default: a table).
|   --screen-width=<long>
|                         Wrap help text at this many columns (default 80).
|   --debug               Print the socket, the request (keys hidden) and the
|                         status of the answer on standard error.
|   --version             Print the version and exit.
|   -?|--help             Print this help, or the help of the namespace or command
|                         that follows.
|   -s|--server=<str>     Run the command on this host, over SSH (ssh -o
|                         BatchMode=yes: SSH keys or an agent, never a password).
|   -u|--username=<str>   User to log in as on --server (default: ssh's, e.g. from
|                         ~/.ssh/config).
|   --portnumber=<long>   SSH port of --server (default: ssh's).
|   -h|--vihost=<str>     With --server naming a management host: the managed host
|                         to run the command on, by its name in the management
|                         host's inventory (ipsec6 hosts list).
|
| Available Namespaces:
|   network               Operations on the network of the host; ipsec6 provides
|                         its IPsec part.
? 0

$ esxcli network
| Usage: esxcli network {cmd} [cmd options]
|
| Available Namespaces:
|   ip                    Operations on the IP stack; ipsec6 provides its IPsec
|                         part.
? 0

$ esxcli network ip
| Usage: esxcli network ip {cmd} [cmd options]
|
| Available Namespaces:
|   ipsec                 IPsec for IPv6: Security Associations and Security
|                         Policies with manual keys.
? 0

$ esxcli network ip ipsec
| Usage: esxcli network ip ipsec {cmd} [cmd options]
|
| Available Namespaces:
|   sa                    Operations on IPsec Security Associations.
|   sp                    Operations on IPsec Security Policies.
? 0

$ esxcli network ip ipsec sa
| Usage: esxcli network ip ipsec sa {cmd} [cmd options]
|
| Available Commands:
|   add                   Add a Security Association.
|   list                  List the Security Associations, in the order they were
|                         added. Keys are never listed.
|   remove                Remove Security Associations: one by name, an auto SA by
|                         source, destination and SPI, or all.
? 0

$ esxcli network ip ipsec sp
| Usage: esxcli network ip ipsec sp {cmd} [cmd options]
|
| Available Commands:
|   add                   Add a Security Policy. Policies are matched in the order
|                         they were added; the first match wins.
|   list                  List the Security Policies, in the order they are
|                         matched.
|   remove                Remove Security Policies: one by name, or all.
? 0

$ esxcli network ip ipsec sa add --help
| Usage: esxcli network ip ipsec sa add [cmd options]
|
| Description:
|   add                   Add a Security Association.
|
| Cmd options:
|   --encapsulation=<str>
|                         ipsec6 extension: udp carries the SA's ESP packets in
|                         UDP (RFC 3948), from and to port 4500 unless
|                         --encapsulation-ports says otherwise; none (the default)
|                         is plain ESP. Both peers must agree.
|   --encapsulation-ports=<str>
|                         ipsec6 extension: the UDP source and destination ports
|                         of the SA's ESP in UDP, each 1-65535 (default
|                         4500:4500); implies --encapsulation=udp.
|   -e|--encryption-algorithm=<str>
|                         Encryption algorithm of the Security Association: null,
|                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
|                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
|                         ICV, RFC 4106, which takes no integrity algorithm). null
|                         means no encryption. (required)
|   -k|--encryption-key=<str>
|                         Encryption key: 0x followed by hexadecimal digits, or an
|                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
|                         32 for aes256-cbc, the AES key and then a 4-byte salt
|                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
|                         Required unless the encryption algorithm is null, which
|                         takes no key.
|   -i|--integrity-algorithm=<str>
|                         Integrity algorithm of the Security Association:
|                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
|                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
|                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
|                         Required, except with aes128-gcm16 and aes256-gcm16,
|                         which take none.
|   -K|--integrity-key=<str>
|                         Integrity key: 0x followed by hexadecimal digits, or an
|                         ASCII string; 20 bytes for hmac-sha1, 32 for
|                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
|                         hmac-sha2-512. Required with an integrity algorithm.
|   -d|--sa-destination=<str>
|                         IPv6 address of the Security Association destination, or
|                         any. (required)
|   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
|                         tunnel.
|   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
|                         A-Za-z0-9_.-; auto is reserved. (required)
|   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
|                         (required)
|   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
|                         digits, 0x100-0xffffffff. (required)
? 0

$ esxcli network ip ipsec sa list --help
| Usage: esxcli network ip ipsec sa list [cmd options]
|
| Description:
|   list                  List the Security Associations, in the order they were
|                         added. Keys are never listed.
? 0

$ esxcli network ip ipsec sa remove -?
| Usage: esxcli network ip ipsec sa remove [cmd options]
|
| Description:
|   remove                Remove Security Associations: one by name, an auto SA by
|                         source, destination and SPI, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Association, in use or not; the
|                         policies that used them then discard their traffic.
|   -d|--sa-destination=<str>
|                         IPv6 address of the Security Association destination, to
|                         remove an auto SA.
|   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
|                         name it by --sa-source, --sa-destination and --sa-spi.
|   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
|                         remove an auto SA.
|   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
|                         (hex), to remove an auto SA.
? 0

$ esxcli network ip ipsec sp add --help
| Usage: esxcli network ip ipsec sp add [cmd options]
|
| Description:
|   add                   Add a Security Policy. Policies are matched in the order
|                         they were added; the first match wins.
|
| Cmd options:
|   -A|--action=<str>     Action for the traffic the policy selects: none (pass it
|                         as it is), discard (drop it) or ipsec (protect it with a
|                         Security Association). (required)
|   -t|--destination-port=<str>
|                         Destination port, 0-65535 or any (the default); with
|                         icmp6, the ICMPv6 type.
|   -w|--flow-direction=<str>
|                         Direction of the traffic: in or out. (required)
|   -a|--sa-name=<str>    Name of the Security Association to use (action ipsec
|                         only). Without it, each packet uses the first SA whose
|                         addresses and mode match.
|   -o|--source-port=<str>
|                         Source port, 0-65535 or any (the default); not used with
|                         icmp6.
|   -d|--sp-destination=<str>
|                         Destination of the traffic: an IPv6 prefix
|                         (address/length), or any. (required)
|   -m|--sp-mode=<str>    Security Policy mode: transport or tunnel (default: the
|                         mode of the Security Association, else transport).
|   -n|--sp-name=<str>    Name of the Security Policy: 1-64 characters of
|                         A-Za-z0-9_.-. (required)
|   -s|--sp-source=<str>  Source of the traffic: an IPv6 prefix (address/length),
|                         or any. (required)
|   -P|--upper-layer-protocol=<str>
|                         Upper layer protocol: any (the default), tcp, udp or
|                         icmp6.
? 0

$ esxcli network ip ipsec sp list -?
| Usage: esxcli network ip ipsec sp list [cmd options]
|
| Description:
|   list                  List the Security Policies, in the order they are
|                         matched.
? 0

$ esxcli network ip ipsec sp remove --help
| Usage: esxcli network ip ipsec sp remove [cmd options]
|
| Description:
|   remove                Remove Security Policies: one by name, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Policy.
|   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 0

# --help anywhere among the options wins over the other options.
$ esxcli network ip ipsec sp remove --sp-name --help
| Usage: esxcli network ip ipsec sp remove [cmd options]
|
| Description:
|   remove                Remove Security Policies: one by name, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Policy.
|   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 0

# The doc forms.
$ esxcli network ip ipsec add --help
| Usage: esxcli network ip ipsec add [cmd options]
|
| Description:
|   add                   Add a Security Policy. Policies are matched in the order
|                         they were added; the first match wins.
|
| Cmd options:
|   -A|--action=<str>     Action for the traffic the policy selects: none (pass it
|                         as it is), discard (drop it) or ipsec (protect it with a
|                         Security Association). (required)
|   -t|--destination-port=<str>
|                         Destination port, 0-65535 or any (the default); with
|                         icmp6, the ICMPv6 type.
|   -w|--flow-direction=<str>
|                         Direction of the traffic: in or out. (required)
|   -a|--sa-name=<str>    Name of the Security Association to use (action ipsec
|                         only). Without it, each packet uses the first SA whose
|                         addresses and mode match.
|   -o|--source-port=<str>
|                         Source port, 0-65535 or any (the default); not used with
|                         icmp6.
|   -d|--sp-destination=<str>
|                         Destination of the traffic: an IPv6 prefix
|                         (address/length), or any. (required)
|   -m|--sp-mode=<str>    Security Policy mode: transport or tunnel (default: the
|                         mode of the Security Association, else transport).
|   -n|--sp-name=<str>    Name of the Security Policy: 1-64 characters of
|                         A-Za-z0-9_.-. (required)
|   -s|--sp-source=<str>  Source of the traffic: an IPv6 prefix (address/length),
|                         or any. (required)
|   -P|--upper-layer-protocol=<str>
|                         Upper layer protocol: any (the default), tcp, udp or
|                         icmp6.
? 0

$ esxcli network ip ipsec list --help
| Usage: esxcli network ip ipsec list [cmd options]
|
| Description:
|   list                  List the Security Policies, in the order they are
|                         matched.
? 0

$ esxcli network ip ipsec remove --help
| Usage: esxcli network ip ipsec remove [cmd options]
|
| Description:
|   remove                Remove Security Policies: one by name, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Policy.
|   -n|--sp-name=<str>    Name of the Security Policy to remove.
? 0

# --help before the command words.
$ esxcli --help network ip ipsec sa remove
| Usage: esxcli network ip ipsec sa remove [cmd options]
|
| Description:
|   remove                Remove Security Associations: one by name, an auto SA by
|                         source, destination and SPI, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Association, in use or not; the
|                         policies that used them then discard their traffic.
|   -d|--sa-destination=<str>
|                         IPv6 address of the Security Association destination, to
|                         remove an auto SA.
|   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to
|                         name it by --sa-source, --sa-destination and --sa-spi.
|   -s|--sa-source=<str>  IPv6 address of the Security Association source, to
|                         remove an auto SA.
|   -p|--sa-spi=<str>     Security Parameter Index of the Security Association
|                         (hex), to remove an auto SA.
? 0

$ esxcli --help network ip
| Usage: esxcli network ip {cmd} [cmd options]
|
| Available Namespaces:
|   ipsec                 IPsec for IPv6: Security Associations and Security
|                         Policies with manual keys.
? 0

# Wrapping follows --screen-width.
$ esxcli --screen-width=60 network ip ipsec sp add --help
| Usage: esxcli network ip ipsec sp add [cmd options]
|
| Description:
|   add                   Add a Security Policy. Policies are
|                         matched in the order they were
|                         added; the first match wins.
|
| Cmd options:
|   -A|--action=<str>     Action for the traffic the policy
|                         selects: none (pass it as it is),
|                         discard (drop it) or ipsec (protect
|                         it with a Security Association).
|                         (required)
|   -t|--destination-port=<str>
|                         Destination port, 0-65535 or any
|                         (the default); with icmp6, the
|                         ICMPv6 type.
|   -w|--flow-direction=<str>
|                         Direction of the traffic: in or out.
|                         (required)
|   -a|--sa-name=<str>    Name of the Security Association to
|                         use (action ipsec only). Without it,
|                         each packet uses the first SA whose
|                         addresses and mode match.
|   -o|--source-port=<str>
|                         Source port, 0-65535 or any (the
|                         default); not used with icmp6.
|   -d|--sp-destination=<str>
|                         Destination of the traffic: an IPv6
|                         prefix (address/length), or any.
|                         (required)
|   -m|--sp-mode=<str>    Security Policy mode: transport or
|                         tunnel (default: the mode of the
|                         Security Association, else
|                         transport).
|   -n|--sp-name=<str>    Name of the Security Policy: 1-64
|                         characters of A-Za-z0-9_.-.
|                         (required)
|   -s|--sp-source=<str>  Source of the traffic: an IPv6
|                         prefix (address/length), or any.
|                         (required)
|   -P|--upper-layer-protocol=<str>
|                         Upper layer protocol: any (the
|                         default), tcp, udp or icmp6.
? 0

$ ipsec6 --screen-width 120 sa remove --help
| Usage: ipsec6 sa remove [cmd options]
|
| Description:
|   remove                Remove Security Associations: one by name, an auto SA by source, destination and SPI, or all.
|
| Cmd options:
|   -a|--remove-all       Remove every Security Association, in use or not; the policies that used them then discard their
|                         traffic.
|   -d|--sa-destination=<str>
|                         IPv6 address of the Security Association destination, to remove an auto SA.
|   -n|--sa-name=<str>    Name of the Security Association to remove, or auto to name it by --sa-source, --sa-destination
|                         and --sa-spi.
|   -s|--sa-source=<str>  IPv6 address of the Security Association source, to remove an auto SA.
|   -p|--sa-spi=<str>     Security Parameter Index of the Security Association (hex), to remove an auto SA.
? 0

$ vicfg-ipsec --help
| Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
|        vicfg-ipsec --remove-sa <sa_name>
|        vicfg-ipsec --list-sa | --flush-sa
|        vicfg-ipsec --add-sp [SP options] <sp_name>
|        vicfg-ipsec --remove-sp <sp_name>
|        vicfg-ipsec --list-sp | --flush-sp
|
| Operations:
|   --add-sa              Add the Security Association named by the last word.
|   --remove-sa           Remove the Security Association named by the last word;
|                         refused while a policy uses it.
|   --list-sa             List the Security Associations.
|   --flush-sa            Remove every Security Association; the policies that
|                         used them then discard their traffic.
|   --add-sp              Add the Security Policy named by the last word.
|   --remove-sp           Remove the Security Policy named by the last word.
|   --list-sp             List the Security Policies, in the order they are
|                         matched.
|   --flush-sp            Remove every Security Policy.
|   --help                Print this help.
|
| SA options (with --add-sa):
|   --sa-src <str>        IPv6 address of the SA source, or any. (required)
|   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
|   --sa-mode <str>       SA mode: transport (the default) or tunnel.
|   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
|                         digits, 0x100-0xffffffff. (required)
|   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
|                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
|                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
|   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
|                         ASCII string; required unless --ealgo is null.
|   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
|                         extensions: hmac-sha2-384, hmac-sha2-512. Required
|                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
|   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
|                         ASCII string; required with --ialgo.
|
| SP options (with --add-sp):
|   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
|                         or any. (required)
|   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
|                         (address/length), or any. (required)
|   --src-port <str>      Source port, 0-65535 or any (the default).
|   --dst-port <str>      Destination port, 0-65535 or any (the default); the
|                         ICMPv6 type with icmp6.
|   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
|                         icmp6.
|   --dir <str>           Direction of the traffic: in or out. (required)
|   --action <str>        Action: none, discard or ipsec. (required)
|   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
|                         the SA).
|   --sa-name <str>       The Security Association to use (action ipsec only).
|
| Connection options:
|   --server <str>        Run the command on this host, over SSH (ssh -o
|                         BatchMode=yes: SSH keys or an agent, never a password).
|   --username <str>      User to log in as on --server (default: ssh's, e.g. from
|                         ~/.ssh/config).
|   --portnumber <long>   SSH port of --server (default: ssh's).
? 0

$ vicfg-ipsec --help --list-sa
| Usage: vicfg-ipsec --add-sa [SA options] <sa_name>
|        vicfg-ipsec --remove-sa <sa_name>
|        vicfg-ipsec --list-sa | --flush-sa
|        vicfg-ipsec --add-sp [SP options] <sp_name>
|        vicfg-ipsec --remove-sp <sp_name>
|        vicfg-ipsec --list-sp | --flush-sp
|
| Operations:
|   --add-sa              Add the Security Association named by the last word.
|   --remove-sa           Remove the Security Association named by the last word;
|                         refused while a policy uses it.
|   --list-sa             List the Security Associations.
|   --flush-sa            Remove every Security Association; the policies that
|                         used them then discard their traffic.
|   --add-sp              Add the Security Policy named by the last word.
|   --remove-sp           Remove the Security Policy named by the last word.
|   --list-sp             List the Security Policies, in the order they are
|                         matched.
|   --flush-sp            Remove every Security Policy.
|   --help                Print this help.
|
| SA options (with --add-sa):
|   --sa-src <str>        IPv6 address of the SA source, or any. (required)
|   --sa-dst <str>        IPv6 address of the SA destination, or any. (required)
|   --sa-mode <str>       SA mode: transport (the default) or tunnel.
|   --spi <str>           Security Parameter Index: 0x followed by hexadecimal
|                         digits, 0x100-0xffffffff. (required)
|   --ealgo <str>         Encryption algorithm: null, 3des-cbc or aes128-cbc;
|                         ipsec6 extensions: aes256-cbc, aes128-gcm16,
|                         aes256-gcm16 (AES-GCM: no --ialgo). (required)
|   --ekey <str>          Encryption key: 0x followed by hexadecimal digits, or an
|                         ASCII string; required unless --ealgo is null.
|   --ialgo <str>         Integrity algorithm: hmac-sha1 or hmac-sha2-256; ipsec6
|                         extensions: hmac-sha2-384, hmac-sha2-512. Required
|                         unless --ealgo is aes128-gcm16 or aes256-gcm16.
|   --ikey <str>          Integrity key: 0x followed by hexadecimal digits, or an
|                         ASCII string; required with --ialgo.
|
| SP options (with --add-sp):
|   --sp-src <str>        Source of the traffic: an IPv6 prefix (address/length),
|                         or any. (required)
|   --sp-dst <str>        Destination of the traffic: an IPv6 prefix
|                         (address/length), or any. (required)
|   --src-port <str>      Source port, 0-65535 or any (the default).
|   --dst-port <str>      Destination port, 0-65535 or any (the default); the
|                         ICMPv6 type with icmp6.
|   --ulproto <str>       Upper layer protocol: any (the default), tcp, udp or
|                         icmp6.
|   --dir <str>           Direction of the traffic: in or out. (required)
|   --action <str>        Action: none, discard or ipsec. (required)
|   --sp-mode <str>       Policy mode: transport or tunnel (default: the mode of
|                         the SA).
|   --sa-name <str>       The Security Association to use (action ipsec only).
|
| Connection options:
|   --server <str>        Run the command on this host, over SSH (ssh -o
|                         BatchMode=yes: SSH keys or an agent, never a password).
|   --username <str>      User to log in as on --server (default: ssh's, e.g. from
|                         ~/.ssh/config).
|   --portnumber <long>   SSH port of --server (default: ssh's).
? 0
