# ESP in UDP (RFC 3948, issue 13): --encapsulation=udp (ports 4500:4500) and
# --encapsulation-ports=SPORT:DPORT on sa add, in the native and esxcli grammars; stored, listed
# (native sa list only: esxcli shows what ESXi shows), saved, exported.

$ ipsec6 sa add -n udp_default -s 2001:db8::1 -d 2001:db8::2 -p 0x1001 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation=udp
? 0

$ esxcli network ip ipsec sa add --sa-name=udp_ports --sa-source=2001:db8::1 --sa-destination=2001:db8::3 --sa-spi=0x1002 --sa-mode=tunnel --encryption-algorithm=aes128-gcm16 --encryption-key=0x000102030405060708090a0b0c0d0e0fcafebabe --encapsulation-ports 4501:65535
? 0

$ ipsec6 sa add -n udp_both -s any -d 2001:db8::4 -p 0x1003 -e null -i hmac-sha2-256 -K 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff --encapsulation udp --encapsulation-ports=1:2
? 0

$ ipsec6 sa add -n plain -s 2001:db8::1 -d 2001:db8::5 -p 0x1004 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation=none
? 0

# Refused: an unknown kind, ports 0 or past 65535, not a pair, ports with none.
$ ipsec6 sa add -n bad -s 2001:db8::1 -d 2001:db8::6 -p 0x1005 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation=tcp
! invalid encapsulation 'tcp': use udp or none
? 1

$ ipsec6 sa add -n bad -s 2001:db8::1 -d 2001:db8::6 -p 0x1005 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation-ports=0:4500
! invalid encapsulation ports '0:4500': use SPORT:DPORT, each 1-65535
? 1

$ ipsec6 sa add -n bad -s 2001:db8::1 -d 2001:db8::6 -p 0x1005 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation-ports=4500:65536
! invalid encapsulation ports '4500:65536': use SPORT:DPORT, each 1-65535
? 1

$ esxcli network ip ipsec sa add -n bad -s 2001:db8::1 -d 2001:db8::6 -p 0x1005 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation-ports=4500
! invalid encapsulation ports '4500': use SPORT:DPORT, each 1-65535
? 1

$ ipsec6 sa add -n bad -s 2001:db8::1 -d 2001:db8::6 -p 0x1005 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation-ports=4500:4500:1
! invalid encapsulation ports '4500:4500:1': use SPORT:DPORT, each 1-65535
? 1

$ ipsec6 sa add -n bad -s 2001:db8::1 -d 2001:db8::6 -p 0x1005 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation-ports=-1:4500
! invalid encapsulation ports '-1:4500': use SPORT:DPORT, each 1-65535
? 1

$ ipsec6 sa add -n bad -s 2001:db8::1 -d 2001:db8::6 -p 0x1005 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation=none --encapsulation-ports=4500:4500
! --encapsulation-ports needs --encapsulation=udp
? 1

$ ipsec6 sa add -n bad -s 2001:db8::1 -d 2001:db8::6 -p 0x1005 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --encapsulation
! Error: --encapsulation must have value
!
! Usage: ipsec6 sa add [cmd options]
!
! Description:
!   add                   Add a Security Association.
!
! Cmd options:
!   --added=<long>        When the SA was added, in seconds since 1970 (UTC);
!                         default now. ipsec6d writes it into its configuration
!                         file for SAs with a time limit, so that their age
!                         survives restarts.
!   --byte-hard=<long>    Hard lifetime in bytes protected and accepted (before
!                         ESP), counted since the SA was added: once reached, the
!                         SA carries no more traffic in either direction.
!   --byte-soft=<long>    Soft lifetime in bytes: once reached, an event and a log
!                         line; nothing else changes.
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
!   --encryption-key-file=<str>
!                         Read the encryption key from this file (one line), so
!                         that it does not appear in the process list.
!   --esn                 Extended sequence numbers (RFC 4303 section 2.2.1):
!                         64-bit sequence numbers whose high half is authenticated
!                         but never sent, so that a manually keyed SA never runs
!                         out of them. Both peers must agree. Without it an SA
!                         stops sending at 2^32 - 1 packets.
!   --grace-period=<long>
!                         With --retired: how many seconds after it was retired
!                         the SA still accepts inbound packets. ipsec6d writes it
!                         into its configuration file.
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
!   --integrity-key-file=<str>
!                         Read the integrity key from this file (one line), so
!                         that it does not appear in the process list.
!   --packet-hard=<long>  Hard lifetime in packets protected and accepted, counted
!                         since the SA was added: once reached, the SA carries no
!                         more traffic in either direction.
!   --packet-soft=<long>  Soft lifetime in packets: once reached, an event and a
!                         log line; nothing else changes.
!   --replay-window=<long>
!                         Anti-replay window in packets, 32-65536 (default 64).
!   --retired=<long>      The SA was replaced by `sa rekey` at this time, in
!                         seconds since 1970 (UTC): it sends nothing and accepts
!                         inbound packets for --grace-period seconds from then.
!                         ipsec6d writes it into its configuration file, so that a
!                         restart keeps the grace.
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
!   --time-hard=<long>    Hard lifetime in seconds since the SA was added: once
!                         reached, the SA carries no more traffic in either
!                         direction; it stays listed until replaced or removed.
!   --time-soft=<long>    Soft lifetime in seconds since the SA was added: once
!                         reached, an event and a log line; nothing else changes.
? 1

# vicfg-ipsec does not take it.
$ vicfg-ipsec --add-sa --sa-src 2001:db8::1 --sa-dst 2001:db8::6 --spi 0x1005 --ealgo aes128-cbc --ekey 0x00112233445566778899aabbccddeeff --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 --encapsulation=udp bad
! Error: Invalid option --encapsulation
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

$ ipsec6 sa list
| Name         Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State   Encapsulation
| -----------  -----------  -----------  ------  ---------  --------------------  -------------------  -------  ------  --------------
| udp_default  2001:db8::1  2001:db8::2  0x1001  transport  aes128-cbc            hmac-sha1                     mature  udp 4500:4500
| udp_ports    2001:db8::1  2001:db8::3  0x1002  tunnel     aes128-gcm16                                        mature  udp 4501:65535
| udp_both     any          2001:db8::4  0x1003  transport  null                  hmac-sha2-256                 mature  udp 1:2
| plain        2001:db8::1  2001:db8::5  0x1004  transport  aes128-cbc            hmac-sha1                     mature  none
? 0

$ ipsec6 --formatter=json sa list
| [{"Name": "udp_default", "Source": "2001:db8::1", "Destination": "2001:db8::2", "SPI": "0x1001", "Mode": "transport", "EncryptionAlgorithm": "aes128-cbc", "IntegrityAlgorithm": "hmac-sha1", "UsedBy": "", "State": "mature", "Encapsulation": "udp 4500:4500"}, {"Name": "udp_ports", "Source": "2001:db8::1", "Destination": "2001:db8::3", "SPI": "0x1002", "Mode": "tunnel", "EncryptionAlgorithm": "aes128-gcm16", "IntegrityAlgorithm": "", "UsedBy": "", "State": "mature", "Encapsulation": "udp 4501:65535"}, {"Name": "udp_both", "Source": "any", "Destination": "2001:db8::4", "SPI": "0x1003", "Mode": "transport", "EncryptionAlgorithm": "null", "IntegrityAlgorithm": "hmac-sha2-256", "UsedBy": "", "State": "mature", "Encapsulation": "udp 1:2"}, {"Name": "plain", "Source": "2001:db8::1", "Destination": "2001:db8::5", "SPI": "0x1004", "Mode": "transport", "EncryptionAlgorithm": "aes128-cbc", "IntegrityAlgorithm": "hmac-sha1", "UsedBy": "", "State": "mature", "Encapsulation": "none"}]
? 0

$ esxcli network ip ipsec sa list
| Name         Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| -----------  -----------  -----------  ------  ---------  --------------------  -------------------  -------
| udp_default  2001:db8::1  2001:db8::2  0x1001  transport  aes128-cbc            hmac-sha1
| udp_ports    2001:db8::1  2001:db8::3  0x1002  tunnel     aes128-gcm16
| udp_both     any          2001:db8::4  0x1003  transport  null                  hmac-sha2-256
| plain        2001:db8::1  2001:db8::5  0x1004  transport  aes128-cbc            hmac-sha1
? 0

$ vicfg-ipsec --list-sa
| Name         Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| -----------  -----------  -----------  ------  ---------  --------------------  -------------------  -------
| udp_default  2001:db8::1  2001:db8::2  0x1001  transport  aes128-cbc            hmac-sha1
| udp_ports    2001:db8::1  2001:db8::3  0x1002  tunnel     aes128-gcm16
| udp_both     any          2001:db8::4  0x1003  transport  null                  hmac-sha2-256
| plain        2001:db8::1  2001:db8::5  0x1004  transport  aes128-cbc            hmac-sha1
? 0

$ ipsec6 save
| # ipsec6 configuration
| sa add --sa-name=udp_default --sa-source=2001:db8::1 --sa-destination=2001:db8::2 --sa-spi=0x1001 --sa-mode=transport --encryption-algorithm=aes128-cbc --encryption-key=0x00112233445566778899aabbccddeeff --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432 --encapsulation=udp
| sa add --sa-name=udp_ports --sa-source=2001:db8::1 --sa-destination=2001:db8::3 --sa-spi=0x1002 --sa-mode=tunnel --encryption-algorithm=aes128-gcm16 --encryption-key=0x000102030405060708090a0b0c0d0e0fcafebabe --encapsulation=udp --encapsulation-ports=4501:65535
| sa add --sa-name=udp_both --sa-source=any --sa-destination=2001:db8::4 --sa-spi=0x1003 --sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha2-256 --integrity-key=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff --encapsulation=udp --encapsulation-ports=1:2
| sa add --sa-name=plain --sa-source=2001:db8::1 --sa-destination=2001:db8::5 --sa-spi=0x1004 --sa-mode=transport --encryption-algorithm=aes128-cbc --encryption-key=0x00112233445566778899aabbccddeeff --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
? 0

# Wireshark decodes ESP in UDP on port 4500 by itself; the esp_sa lines are those of plain ESP.
$ ipsec6 sa export --wireshark --show-keys
| "IPv6","2001:db8::1","2001:db8::2","0x00001001","AES-CBC [RFC3602]","0x00112233445566778899aabbccddeeff","HMAC-SHA-1-96 [RFC2404]","0x6970763672656164796c6f67736861316f757432"
| "IPv6","2001:db8::1","2001:db8::3","0x00001002","AES-GCM with 16 octet ICV [RFC4106]","0x000102030405060708090a0b0c0d0e0fcafebabe","NULL",""
| "IPv6","*","2001:db8::4","0x00001003","NULL","","HMAC-SHA-256-128 [RFC4868]","0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
| "IPv6","2001:db8::1","2001:db8::5","0x00001004","AES-CBC [RFC3602]","0x00112233445566778899aabbccddeeff","HMAC-SHA-1-96 [RFC2404]","0x6970763672656164796c6f67736861316f757432"
? 0

%restart
$ ipsec6 sa list
| Name         Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State   Encapsulation
| -----------  -----------  -----------  ------  ---------  --------------------  -------------------  -------  ------  --------------
| udp_default  2001:db8::1  2001:db8::2  0x1001  transport  aes128-cbc            hmac-sha1                     mature  udp 4500:4500
| udp_ports    2001:db8::1  2001:db8::3  0x1002  tunnel     aes128-gcm16                                        mature  udp 4501:65535
| udp_both     any          2001:db8::4  0x1003  transport  null                  hmac-sha2-256                 mature  udp 1:2
| plain        2001:db8::1  2001:db8::5  0x1004  transport  aes128-cbc            hmac-sha1                     mature  none
? 0
