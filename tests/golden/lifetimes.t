# SA lifetimes (ipsec6 extensions, in ip xfrm's words): soft and hard limits by time since the
# SA was added, bytes and packets; the state column of ipsec6's own list; what the configuration
# keeps; the errors. --added in the past or the future makes the states deterministic here.

$ ipsec6 sa add -n fresh -s any -d 2001:db8::2 -p 0x1001 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --time-soft=3000 --time-hard=3600 --byte-soft=1000000 --byte-hard=2000000 --packet-soft=1000 --packet-hard=2000 --added=4102444800
? 0

$ ipsec6 sa add -n old -s any -d 2001:db8::3 -p 0x1002 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --time-hard=3600 --added=1000
? 0

$ ipsec6 sa add -n aging -s any -d 2001:db8::4 -p 0x1003 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --time-soft=60 --added=1000
? 0

# An SA added "in the future" (a clock set back since; fresh above is from 2100 too) is not
# older for it: age 0.
$ ipsec6 sa add -n future -s any -d 2001:db8::5 -p 0x1004 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --time-hard=60 --added=9000000000
? 0

$ ipsec6 sa add -n plain -s any -d 2001:db8::6 -p 0x1005 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432
? 0

$ ipsec6 sa list
| Name    Source  Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State         Encapsulation
| ------  ------  -----------  ------  ---------  --------------------  -------------------  -------  ------------  -------------
| fresh   any     2001:db8::2  0x1001  transport  null                  hmac-sha1                     mature        none
| old     any     2001:db8::3  0x1002  transport  null                  hmac-sha1                     hard-expired  none
| aging   any     2001:db8::4  0x1003  transport  null                  hmac-sha1                     soft-expired  none
| future  any     2001:db8::5  0x1004  transport  null                  hmac-sha1                     mature        none
| plain   any     2001:db8::6  0x1005  transport  null                  hmac-sha1                     mature        none
? 0

# esxcli's list stays as ESXi prints it.
$ esxcli network ip ipsec sa list
| Name    Source  Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| ------  ------  -----------  ------  ---------  --------------------  -------------------  -------
| fresh   any     2001:db8::2  0x1001  transport  null                  hmac-sha1
| old     any     2001:db8::3  0x1002  transport  null                  hmac-sha1
| aging   any     2001:db8::4  0x1003  transport  null                  hmac-sha1
| future  any     2001:db8::5  0x1004  transport  null                  hmac-sha1
| plain   any     2001:db8::6  0x1005  transport  null                  hmac-sha1
? 0

$ ipsec6 --formatter=json sa list
| [{"Name": "fresh", "Source": "any", "Destination": "2001:db8::2", "SPI": "0x1001", "Mode": "transport", "EncryptionAlgorithm": "null", "IntegrityAlgorithm": "hmac-sha1", "UsedBy": "", "State": "mature", "Encapsulation": "none"}, {"Name": "old", "Source": "any", "Destination": "2001:db8::3", "SPI": "0x1002", "Mode": "transport", "EncryptionAlgorithm": "null", "IntegrityAlgorithm": "hmac-sha1", "UsedBy": "", "State": "hard-expired", "Encapsulation": "none"}, {"Name": "aging", "Source": "any", "Destination": "2001:db8::4", "SPI": "0x1003", "Mode": "transport", "EncryptionAlgorithm": "null", "IntegrityAlgorithm": "hmac-sha1", "UsedBy": "", "State": "soft-expired", "Encapsulation": "none"}, {"Name": "future", "Source": "any", "Destination": "2001:db8::5", "SPI": "0x1004", "Mode": "transport", "EncryptionAlgorithm": "null", "IntegrityAlgorithm": "hmac-sha1", "UsedBy": "", "State": "mature", "Encapsulation": "none"}, {"Name": "plain", "Source": "any", "Destination": "2001:db8::6", "SPI": "0x1005", "Mode": "transport", "EncryptionAlgorithm": "null", "IntegrityAlgorithm": "hmac-sha1", "UsedBy": "", "State": "mature", "Encapsulation": "none"}]
? 0

# What the configuration keeps: the limits, and the time added where a time limit needs it.
$ ipsec6 save
| # ipsec6 configuration
| sa add --sa-name=fresh --sa-source=any --sa-destination=2001:db8::2 --sa-spi=0x1001 --sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432 --time-soft=3000 --time-hard=3600 --byte-soft=1000000 --byte-hard=2000000 --packet-soft=1000 --packet-hard=2000 --added=4102444800
| sa add --sa-name=old --sa-source=any --sa-destination=2001:db8::3 --sa-spi=0x1002 --sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432 --time-hard=3600 --added=1000
| sa add --sa-name=aging --sa-source=any --sa-destination=2001:db8::4 --sa-spi=0x1003 --sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432 --time-soft=60 --added=1000
| sa add --sa-name=future --sa-source=any --sa-destination=2001:db8::5 --sa-spi=0x1004 --sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432 --time-hard=60 --added=9000000000
| sa add --sa-name=plain --sa-source=any --sa-destination=2001:db8::6 --sa-spi=0x1005 --sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
? 0

# The state survives a restart: the time added is in the file.
%restart
$ ipsec6 sa list
| Name    Source  Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State         Encapsulation
| ------  ------  -----------  ------  ---------  --------------------  -------------------  -------  ------------  -------------
| fresh   any     2001:db8::2  0x1001  transport  null                  hmac-sha1                     mature        none
| old     any     2001:db8::3  0x1002  transport  null                  hmac-sha1                     hard-expired  none
| aging   any     2001:db8::4  0x1003  transport  null                  hmac-sha1                     soft-expired  none
| future  any     2001:db8::5  0x1004  transport  null                  hmac-sha1                     mature        none
| plain   any     2001:db8::6  0x1005  transport  null                  hmac-sha1                     mature        none
? 0

# Errors.
$ ipsec6 sa add -n bad -s any -d 2001:db8::7 -p 0x1006 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --time-soft=100 --time-hard=60
! soft time limit 100 is above the hard limit 60
? 1

$ ipsec6 sa add -n bad -s any -d 2001:db8::7 -p 0x1006 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --packet-hard=0
! invalid hard packets lifetime '0': use 1-18446744073709551615
? 1

$ ipsec6 sa add -n bad -s any -d 2001:db8::7 -p 0x1006 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --byte-soft=18446744073709551616
! invalid soft bytes lifetime '18446744073709551616': use 1-18446744073709551615
? 1

$ ipsec6 sa add -n bad -s any -d 2001:db8::7 -p 0x1006 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --time-hard=1h
! invalid hard time lifetime '1h': use 1-18446744073709551615
? 1

$ ipsec6 sa add -n bad -s any -d 2001:db8::7 -p 0x1006 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --time-hard=60 --added=-5
! invalid time added '-5': use seconds since 1970, 1-9223372036854775807
? 1

$ ipsec6 sa add -n bad -s any -d 2001:db8::7 -p 0x1006 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --time-hard
! Error: --time-hard must have value
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

# ipsec6 extensions: esxcli does not take them.
$ esxcli network ip ipsec sa add --sa-name bad --sa-source any --sa-destination 2001:db8::7 --sa-spi 0x1006 --encryption-algorithm null --integrity-algorithm hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 --time-hard=60
! Error: Invalid option --time-hard
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

$ ipsec6 sa list
| Name    Source  Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State         Encapsulation
| ------  ------  -----------  ------  ---------  --------------------  -------------------  -------  ------------  -------------
| fresh   any     2001:db8::2  0x1001  transport  null                  hmac-sha1                     mature        none
| old     any     2001:db8::3  0x1002  transport  null                  hmac-sha1                     hard-expired  none
| aging   any     2001:db8::4  0x1003  transport  null                  hmac-sha1                     soft-expired  none
| future  any     2001:db8::5  0x1004  transport  null                  hmac-sha1                     mature        none
| plain   any     2001:db8::6  0x1005  transport  null                  hmac-sha1                     mature        none
? 0
