# The native ipsec6 grammar: the "network ip ipsec" words are optional, short options, key
# files, batches (-f), save, the Wireshark export, --debug, --version, and what happens
# without a daemon.

$ ipsec6 sa add -n sa_1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1001 -m tunnel -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha2-256 -K 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
? 0

$ ipsec6 network ip ipsec sa list
| Name  Source       Destination  SPI     Mode    Encryption Algorithm  Integrity Algorithm  Used By  State   Encapsulation
| ----  -----------  -----------  ------  ------  --------------------  -------------------  -------  ------  -------------
| sa_1  2001:db8::1  2001:db8::2  0x1001  tunnel  aes128-cbc            hmac-sha2-256                 mature  none
? 0

$ ipsec6 sp add -n sp_1 -s 2001:db8::1/128 -d 2001:db8::2/128 -P udp -o 500 -t any -w out -A ipsec -a sa_1
? 0

$ ipsec6 sp list
| Name  Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode    SA Name
| ----  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ------  -------
| sp_1  2001:db8::1/128  2001:db8::2/128          500               any  udp                   out        ipsec   tunnel  sa_1
? 0

# The doc form without "sp" works for ipsec6 too.
$ ipsec6 list
| Name  Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode    SA Name
| ----  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ------  -------
| sp_1  2001:db8::1/128  2001:db8::2/128          500               any  udp                   out        ipsec   tunnel  sa_1
? 0

# Keys from files, so that they stay out of the process list.
%file enc.key
< 0123456789abcdef
%file auth.key
< 0x6970763672656164796c6f67736861316f757432
$ ipsec6 sa add --sa-name=sa_file --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1002 --encryption-algorithm=aes128-cbc --encryption-key-file=enc.key --integrity-algorithm=hmac-sha1 --integrity-key-file auth.key
? 0

$ ipsec6 save
| # ipsec6 configuration
| sa add --sa-name=sa_1 --sa-source=2001:db8::1 --sa-destination=2001:db8::2 --sa-spi=0x1001 --sa-mode=tunnel --encryption-algorithm=aes128-cbc --encryption-key=0x00112233445566778899aabbccddeeff --integrity-algorithm=hmac-sha2-256 --integrity-key=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
| sa add --sa-name=sa_file --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1002 --sa-mode=transport --encryption-algorithm=aes128-cbc --encryption-key=0x30313233343536373839616263646566 --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
| sp add --sp-name=sp_1 --sp-source=2001:db8::1/128 --sp-destination=2001:db8::2/128 --source-port=500 --destination-port=any --upper-layer-protocol=udp --flow-direction=out --action=ipsec --sp-mode=tunnel --sa-name=sa_1
? 0

$ ipsec6 sa add --sa-name=sa_nofile --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1003 --encryption-algorithm=aes128-cbc --encryption-key-file=missing.key --integrity-algorithm=hmac-sha1 --integrity-key-file auth.key
! ipsec6: cannot read the encryption key file 'missing.key' (No such file or directory)
? 1

%file empty.key
<
$ ipsec6 sa add --sa-name=sa_nofile --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1003 --encryption-algorithm=aes128-cbc --encryption-key-file=empty.key --integrity-algorithm=hmac-sha1 --integrity-key-file auth.key
! ipsec6: the encryption key file 'empty.key' is empty
? 1

%file two.key
< 0123456789abcdef
< 0123456789abcdef
$ ipsec6 sa add --sa-name=sa_nofile --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1003 --encryption-algorithm=aes128-cbc --encryption-key-file=two.key --integrity-algorithm=hmac-sha1 --integrity-key-file auth.key
! ipsec6: the encryption key file 'two.key' holds more than one line
? 1

# A key file is checked like a key given on the command line.
%file short.key
< 0x0011
$ ipsec6 sa add --sa-name=sa_nofile --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1003 --encryption-algorithm=aes128-cbc --encryption-key-file=short.key --integrity-algorithm=hmac-sha1 --integrity-key-file auth.key
! encryption key is 2 bytes, aes128-cbc needs 16
? 1

# The key files are ipsec6's: esxcli does not know them.
$ esxcli network ip ipsec sa add --sa-name=sa_nofile --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1003 --encryption-algorithm=aes128-cbc --encryption-key-file=enc.key --integrity-algorithm=hmac-sha1 --integrity-key-file auth.key
! Error: Invalid option --encryption-key-file
!
! Usage: esxcli network ip ipsec sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --encapsulation=<str>
!                         ipsec6 extension: udp carries the SA's ESP packets in
!                         UDP (RFC 3948), from and to port 4500 unless
!                         --encapsulation-ports says otherwise; none (the default)
!                         is plain ESP. Both peers must agree.
!   --encapsulation-ports=<str>
!                         ipsec6 extension: the UDP source and destination ports
!                         of the SA's ESP in UDP, each 1-65535 (default
!                         4500:4500); implies --encapsulation=udp.
!   -e|--encryption-algorithm=<str>
!                         Encryption algorithm of the Security Association: null,
!                         3des-cbc or aes128-cbc; ipsec6 extensions: aes256-cbc,
!                         aes128-gcm16 and aes256-gcm16 (AES-GCM with a 16-byte
!                         ICV, RFC 4106, which takes no integrity algorithm). null
!                         means no encryption. (required)
!   -k|--encryption-key=<str>
!                         Encryption key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 24 bytes for 3des-cbc, 16 for aes128-cbc,
!                         32 for aes256-cbc, the AES key and then a 4-byte salt
!                         for aes128-gcm16 (20 bytes) and aes256-gcm16 (36).
!                         Required unless the encryption algorithm is null, which
!                         takes no key.
!   -i|--integrity-algorithm=<str>
!                         Integrity algorithm of the Security Association:
!                         hmac-sha1 (HMAC-SHA-1-96) or hmac-sha2-256
!                         (HMAC-SHA-256-128); ipsec6 extensions: hmac-sha2-384
!                         (HMAC-SHA-384-192), hmac-sha2-512 (HMAC-SHA-512-256).
!                         Required, except with aes128-gcm16 and aes256-gcm16,
!                         which take none.
!   -K|--integrity-key=<str>
!                         Integrity key: 0x followed by hexadecimal digits, or an
!                         ASCII string; 20 bytes for hmac-sha1, 32 for
!                         hmac-sha2-256, 48 for hmac-sha2-384, 64 for
!                         hmac-sha2-512. Required with an integrity algorithm.
!   -d|--sa-destination=<str>
!                         IPv6 address of the Security Association destination, or
!                         any. (required)
!   -m|--sa-mode=<str>    Security Association mode: transport (the default) or
!                         tunnel.
!   -n|--sa-name=<str>    Name of the Security Association: 1-64 characters of
!                         A-Za-z0-9_.-; auto is reserved. (required)
!   -s|--sa-source=<str>  IPv6 address of the Security Association source, or any.
!                         (required)
!   -p|--sa-spi=<str>     Security Parameter Index: 0x followed by hexadecimal
!                         digits, 0x100-0xffffffff. (required)
? 1

# The native --replay-window and --dangling.
$ ipsec6 sa add -n sa_rw -s any -d any -p 0x1004 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --replay-window 1024
? 0

$ ipsec6 sa add -n sa_rw2 -s any -d any -p 0x1005 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --replay-window 5
! invalid replay window '5': use 32-65536
? 1

$ ipsec6 sp add -n sp_later -s any -d any -w in -A ipsec -a sa_later --dangling
? 0

$ ipsec6 sp add -n sp_later2 -s any -d any -w in -A ipsec -a sa_later
! SA 'sa_later' does not exist
? 1

$ ipsec6 sp list
| Name      Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode       SA Name
| --------  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ---------  --------
| sp_1      2001:db8::1/128  2001:db8::2/128          500               any  udp                   out        ipsec   tunnel     sa_1
| sp_later  any              any                      any               any  any                   in         ipsec   transport  sa_later
? 0

# A batch is one transaction: all of its lines or none. Blank lines and comments are
# allowed; errors name the line of the file.
%file batch.conf
< # two SAs and a policy
< sa add --sa-name=b1 --sa-source=any --sa-destination=2001:db8::10 --sa-spi=0x2001 --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
<
< sa add --sa-name=b2 --sa-source=any --sa-destination=2001:db8::11 --sa-spi=0x2002 --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
< sp add --sp-name=bp --sp-source=any --sp-destination=2001:db8::10/128 --flow-direction=out --action=ipsec --sa-name=b1
$ ipsec6 -f batch.conf
? 0

$ ipsec6 sa list
| Name     Source       Destination   SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State   Encapsulation
| -------  -----------  ------------  ------  ---------  --------------------  -------------------  -------  ------  -------------
| sa_1     2001:db8::1  2001:db8::2   0x1001  tunnel     aes128-cbc            hmac-sha2-256        sp_1     mature  none
| sa_file  any          2001:db8::2   0x1002  transport  aes128-cbc            hmac-sha1                     mature  none
| sa_rw    any          any           0x1004  transport  null                  hmac-sha1                     mature  none
| b1       any          2001:db8::10  0x2001  transport  null                  hmac-sha1            bp       mature  none
| b2       any          2001:db8::11  0x2002  transport  null                  hmac-sha1                     mature  none
? 0

%file bad.conf
< sa add --sa-name=c1 --sa-source=any --sa-destination=2001:db8::20 --sa-spi=0x3001 --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
<
< # the next line is refused: its SA name is taken
< sa add --sa-name=b1 --sa-source=any --sa-destination=2001:db8::21 --sa-spi=0x3002 --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
$ ipsec6 -f bad.conf
! line 4: SA 'b1' already exists
? 1

$ ipsec6 sa list
| Name     Source       Destination   SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State   Encapsulation
| -------  -----------  ------------  ------  ---------  --------------------  -------------------  -------  ------  -------------
| sa_1     2001:db8::1  2001:db8::2   0x1001  tunnel     aes128-cbc            hmac-sha2-256        sp_1     mature  none
| sa_file  any          2001:db8::2   0x1002  transport  aes128-cbc            hmac-sha1                     mature  none
| sa_rw    any          any           0x1004  transport  null                  hmac-sha1                     mature  none
| b1       any          2001:db8::10  0x2001  transport  null                  hmac-sha1            bp       mature  none
| b2       any          2001:db8::11  0x2002  transport  null                  hmac-sha1                     mature  none
? 0

$ ipsec6 --file=-
< sp remove --sp-name=bp
< sa remove -n b1
< sa remove -n b2
? 0

$ ipsec6 -f -
< sa remove -n nosuch
! SA 'nosuch' does not exist
? 1

$ ipsec6 -f -
< sa list
! ipsec6: standard input: line 1 is a query: a batch holds changes only (add, remove)
? 1

$ ipsec6 -f missing.conf
! ipsec6: cannot read missing.conf (No such file or directory)
? 1

$ ipsec6 -f batch.conf sa list
! Error: -f|--file cannot be followed by a command
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

$ ipsec6 -f
! Error: -f must have value
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

%file empty.conf
< # nothing to do
$ ipsec6 -f empty.conf
? 0

# save prints the configuration, keys included, in the batch grammar.
$ ipsec6 save
| # ipsec6 configuration
| sa add --sa-name=sa_1 --sa-source=2001:db8::1 --sa-destination=2001:db8::2 --sa-spi=0x1001 --sa-mode=tunnel --encryption-algorithm=aes128-cbc --encryption-key=0x00112233445566778899aabbccddeeff --integrity-algorithm=hmac-sha2-256 --integrity-key=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
| sa add --sa-name=sa_file --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1002 --sa-mode=transport --encryption-algorithm=aes128-cbc --encryption-key=0x30313233343536373839616263646566 --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
| sa add --sa-name=sa_rw --sa-source=any --sa-destination=any --sa-spi=0x1004 --sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432 --replay-window=1024
| sp add --sp-name=sp_1 --sp-source=2001:db8::1/128 --sp-destination=2001:db8::2/128 --source-port=500 --destination-port=any --upper-layer-protocol=udp --flow-direction=out --action=ipsec --sp-mode=tunnel --sa-name=sa_1
| sp add --sp-name=sp_later --sp-source=any --sp-destination=any --source-port=any --destination-port=any --upper-layer-protocol=any --flow-direction=in --action=ipsec --sp-mode=transport --sa-name=sa_later --dangling
? 0

$ ipsec6 save --all
! Error: Invalid option --all
!
! Usage: ipsec6 save [cmd options]
!
! Description:
!   save                  Print the configuration, keys included, one command per
!                         line: the file format that ipsec6 -f reads.
? 1

# The Wireshark export prints keys, so it wants --show-keys.
$ ipsec6 sa export --wireshark
! Error: sa export prints the secret keys of every SA: add --show-keys to do so
!
! Usage: ipsec6 sa export [cmd options]
!
! Description:
!   export                Print the Security Associations with their keys, for
!                         Wireshark to decrypt ESP.
!
! Cmd options:
!   --show-keys           Print the keys: this command exists to print them, and
!                         does nothing without this option.
!   --wireshark           Wireshark's esp_sa format: one line per SA, for the
!                         esp_sa file or tshark -o 'uat:esp_sa:LINE'. (required)
? 1

$ ipsec6 sa export --wireshark --show-keys
| "IPv6","2001:db8::1","2001:db8::2","0x00001001","AES-CBC [RFC3602]","0x00112233445566778899aabbccddeeff","HMAC-SHA-256-128 [RFC4868]","0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
| "IPv6","*","2001:db8::2","0x00001002","AES-CBC [RFC3602]","0x30313233343536373839616263646566","HMAC-SHA-1-96 [RFC2404]","0x6970763672656164796c6f67736861316f757432"
| "IPv6","*","*","0x00001004","NULL","","HMAC-SHA-1-96 [RFC2404]","0x6970763672656164796c6f67736861316f757432"
? 0

$ ipsec6 sa export --show-keys
! Error: Missing required parameter --wireshark
!
! Usage: ipsec6 sa export [cmd options]
!
! Description:
!   export                Print the Security Associations with their keys, for
!                         Wireshark to decrypt ESP.
!
! Cmd options:
!   --show-keys           Print the keys: this command exists to print them, and
!                         does nothing without this option.
!   --wireshark           Wireshark's esp_sa format: one line per SA, for the
!                         esp_sa file or tshark -o 'uat:esp_sa:LINE'. (required)
? 1

$ esxcli network ip ipsec sa export --wireshark --show-keys
! Error: Unknown command or namespace network ip ipsec sa export
!
! Usage: esxcli network ip ipsec sa {cmd} [cmd options]
!
! Available Commands:
!   add                   Add a Security Association.
!   list                  List the Security Associations, in the order they were
!                         added. Keys are never listed.
!   remove                Remove Security Associations: one by name, an auto SA by
!                         source, destination and SPI, or all.
? 1

$ esxcli network ip ipsec save
! Error: Unknown command or namespace network ip ipsec save
!
! Usage: esxcli network ip ipsec {cmd} [cmd options]
!
! Available Namespaces:
!   sa                    Operations on IPsec Security Associations.
!   sp                    Operations on IPsec Security Policies.
? 1

# --debug shows the request with the keys hidden.
$ ipsec6 --debug sa add -n sa_dbg -s any -d any -p 0x1006 -e 3des-cbc -k 'ipv6readylogo3descbcout' -i hmac-sha1 -K=ipv6readylogsha1out2 -m tunnel
! debug: socket run/ipsec6.sock
! debug: request: sa add --encryption-algorithm=3des-cbc --encryption-key=<hidden> --integrity-algorithm=hmac-sha1 --integrity-key=<hidden> --sa-destination=any --sa-mode=tunnel --sa-name=sa_dbg --sa-source=any --sa-spi=0x1006
! debug: response: error, 0 more bytes
! encryption key is 23 bytes, 3des-cbc needs 24
? 1

$ ipsec6 --debug sa add -n sa_dbg2 -s any -d any -p 0x1007 -e 3des-cbc -k 'ipv6readylogo3descbcout1' -i hmac-sha1 -K=ipv6readylogsha1out2
! debug: socket run/ipsec6.sock
! debug: request: sa add --encryption-algorithm=3des-cbc --encryption-key=<hidden> --integrity-algorithm=hmac-sha1 --integrity-key=<hidden> --sa-destination=any --sa-name=sa_dbg2 --sa-source=any --sa-spi=0x1007
! debug: response: ok, 0 more bytes
? 0

$ ipsec6 --debug sa list
| Name     Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State   Encapsulation
| -------  -----------  -----------  ------  ---------  --------------------  -------------------  -------  ------  -------------
| sa_1     2001:db8::1  2001:db8::2  0x1001  tunnel     aes128-cbc            hmac-sha2-256        sp_1     mature  none
| sa_file  any          2001:db8::2  0x1002  transport  aes128-cbc            hmac-sha1                     mature  none
| sa_rw    any          any          0x1004  transport  null                  hmac-sha1                     mature  none
| sa_dbg2  any          any          0x1007  transport  3des-cbc              hmac-sha1                     mature  none
! debug: socket run/ipsec6.sock
! debug: request: sa list
! debug: response: ok, 612 more bytes
? 0

# Keys in the ASCII form with blanks and quotes reach the daemon as they were typed.
$ ipsec6 sa add -n sa_blank -s any -d any -p 0x1008 -e aes128-cbc -k "a key with \"q\" " -i hmac-sha1 -K 'twenty bytes of key!'
! encryption key is 15 bytes, aes128-cbc needs 16
? 1

$ ipsec6 save
| # ipsec6 configuration
| sa add --sa-name=sa_1 --sa-source=2001:db8::1 --sa-destination=2001:db8::2 --sa-spi=0x1001 --sa-mode=tunnel --encryption-algorithm=aes128-cbc --encryption-key=0x00112233445566778899aabbccddeeff --integrity-algorithm=hmac-sha2-256 --integrity-key=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
| sa add --sa-name=sa_file --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1002 --sa-mode=transport --encryption-algorithm=aes128-cbc --encryption-key=0x30313233343536373839616263646566 --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
| sa add --sa-name=sa_rw --sa-source=any --sa-destination=any --sa-spi=0x1004 --sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432 --replay-window=1024
| sa add --sa-name=sa_dbg2 --sa-source=any --sa-destination=any --sa-spi=0x1007 --sa-mode=transport --encryption-algorithm=3des-cbc --encryption-key=0x6970763672656164796c6f676f336465736362636f757431 --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
| sp add --sp-name=sp_1 --sp-source=2001:db8::1/128 --sp-destination=2001:db8::2/128 --source-port=500 --destination-port=any --upper-layer-protocol=udp --flow-direction=out --action=ipsec --sp-mode=tunnel --sa-name=sa_1
| sp add --sp-name=sp_later --sp-source=any --sp-destination=any --source-port=any --destination-port=any --upper-layer-protocol=any --flow-direction=in --action=ipsec --sp-mode=transport --sa-name=sa_later --dangling
? 0

$ ipsec6 --version
| ipsec6 0.2.0
? 0

$ esxcli --version
| esxcli (ipsec6) 0.2.0
? 0

# Without a daemon: one line that says how to start it.
$ ipsec6 --socket=nosuch.sock sa list
! ipsec6: cannot reach ipsec6d at nosuch.sock (No such file or directory); start it with: ipsec6d --socket nosuch.sock
? 1

$ IPSEC6_SOCKET=nosuch.sock esxcli network ip ipsec sa list
! esxcli: cannot reach ipsec6d at nosuch.sock (No such file or directory); start it with: ipsec6d --socket nosuch.sock
? 1

$ IPSEC6_SOCKET=nosuch.sock vicfg-ipsec --list-sp
! vicfg-ipsec: cannot reach ipsec6d at nosuch.sock (No such file or directory); start it with: ipsec6d --socket nosuch.sock
? 1

$ IPSEC6_SOCKET= ipsec6 --debug sp list
! debug: socket /run/ipsec6/ipsec6.sock
! debug: request: sp list
! ipsec6: cannot reach ipsec6d at /run/ipsec6/ipsec6.sock (No such file or directory); start it with: ipsec6d
? 1

# monitor streams until interrupted (tests/daemon/test_monitor.py, tests/e2e/test_lifetimes.sh);
# here what it refuses.
$ ipsec6 monitor --all
! Error: Invalid option --all
!
! Usage: ipsec6 monitor [cmd options]
!
! Description:
!   monitor               Print ipsec6d's events as they happen, one line each,
!                         until interrupted: SAs and policies added, removed and
!                         replaced, reloads, lifetimes reached, drops (at most one
!                         line per SA and reason a second) and the daemon's stop.
!                         --formatter=json prints one JSON object per line.
? 1

$ ipsec6 --server esx-1 monitor
! ipsec6: monitor runs on the host itself: ssh esx-1 ipsec6 monitor
? 1

$ esxcli monitor
! Error: Unknown command or namespace monitor
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
