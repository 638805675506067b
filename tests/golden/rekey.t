# sa rekey (ipsec6 extension): a new SPI and new keys in one step, the policies untouched; the
# old SPI stays as a retired SA that accepts inbound packets for the grace period. Errors.

$ ipsec6 sa add -n out1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1001 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432
? 0

$ ipsec6 sa add -n gcm -s 2001:db8::2 -d 2001:db8::1 -p 0x2001 -e aes128-gcm16 -k 0x00112233445566778899aabbccddeeff01020304
? 0

$ ipsec6 sp add -n p1 -s 2001:db8::1/128 -d 2001:db8::2/128 -w out -A ipsec -a out1
? 0

$ ipsec6 sp add -n p2 -s 2001:db8::2/128 -d 2001:db8::1/128 -w in -A ipsec -a gcm
? 0

$ ipsec6 sa rekey -n out1 -p 0x1101 -k 0xffeeddccbbaa99887766554433221100 -K 0x0102030405060708090a0b0c0d0e0f1011121314
? 0

$ ipsec6 sa rekey -n gcm -p 0x2101 -k 0xaabbccddeeff00112233445566778899a1a2a3a4 --grace-period=60
? 0

# The new SPIs are in force, the policies use them; the old SPIs are retired rows of ipsec6's
# own list, which esxcli's does not show.
$ ipsec6 sa list
| Name  Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State    Encapsulation
| ----  -----------  -----------  ------  ---------  --------------------  -------------------  -------  -------  -------------
| out1  2001:db8::1  2001:db8::2  0x1101  transport  aes128-cbc            hmac-sha1            p1       mature   none
| gcm   2001:db8::2  2001:db8::1  0x2101  transport  aes128-gcm16                               p2       mature   none
| out1  2001:db8::1  2001:db8::2  0x1001  transport  aes128-cbc            hmac-sha1                     retired  none
| gcm   2001:db8::2  2001:db8::1  0x2001  transport  aes128-gcm16                                        retired  none
? 0

$ esxcli network ip ipsec sa list
| Name  Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| ----  -----------  -----------  ------  ---------  --------------------  -------------------  -------
| out1  2001:db8::1  2001:db8::2  0x1101  transport  aes128-cbc            hmac-sha1            p1
| gcm   2001:db8::2  2001:db8::1  0x2101  transport  aes128-gcm16                               p2
? 0

$ ipsec6 stats
| Security Associations:
| Name  SPI     Packets In  Bytes In  Packets Out  Bytes Out  Drops
| ----  ------  ----------  --------  -----------  ---------  -----
| out1  0x1101           0         0            0          0
| gcm   0x2101           0         0            0          0
| out1  0x1001           0         0            0          0
| gcm   0x2001           0         0            0          0
|
| Security Policies:
| Name  Direction  Action  Matches
| ----  ---------  ------  -------
| p1    out        ipsec         0
| p2    in         ipsec         0
|
| Global Drops:
| Reason  Packets
| ------  -------
? 0

# Wireshark gets both SPIs while both live, so that a capture across the switch decrypts.
$ ipsec6 sa export --wireshark --show-keys
| "IPv6","2001:db8::1","2001:db8::2","0x00001101","AES-CBC [RFC3602]","0xffeeddccbbaa99887766554433221100","HMAC-SHA-1-96 [RFC2404]","0x0102030405060708090a0b0c0d0e0f1011121314"
| "IPv6","2001:db8::2","2001:db8::1","0x00002101","AES-GCM with 16 octet ICV [RFC4106]","0xaabbccddeeff00112233445566778899a1a2a3a4","NULL",""
| "IPv6","2001:db8::1","2001:db8::2","0x00001001","AES-CBC [RFC3602]","0x00112233445566778899aabbccddeeff","HMAC-SHA-1-96 [RFC2404]","0x6970763672656164796c6f67736861316f757432"
| "IPv6","2001:db8::2","2001:db8::1","0x00002001","AES-GCM with 16 octet ICV [RFC4106]","0x00112233445566778899aabbccddeeff01020304","NULL",""
? 0

# Lifetimes start again: an SA past its hard time limit is mature again under its new keys.
$ ipsec6 sa add -n aged -s any -d 2001:db8::3 -p 0x5001 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --time-hard=3600 --added=1000
? 0

$ ipsec6 sa rekey -n aged -p 0x5002 -K 0x0102030405060708090a0b0c0d0e0f1011121314 --grace-period=0
? 0

$ ipsec6 sa list
| Name  Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State    Encapsulation
| ----  -----------  -----------  ------  ---------  --------------------  -------------------  -------  -------  -------------
| out1  2001:db8::1  2001:db8::2  0x1101  transport  aes128-cbc            hmac-sha1            p1       mature   none
| gcm   2001:db8::2  2001:db8::1  0x2101  transport  aes128-gcm16                               p2       mature   none
| aged  any          2001:db8::3  0x5002  transport  null                  hmac-sha1                     mature   none
| out1  2001:db8::1  2001:db8::2  0x1001  transport  aes128-cbc            hmac-sha1                     retired  none
| gcm   2001:db8::2  2001:db8::1  0x2001  transport  aes128-gcm16                                        retired  none
? 0

$ ipsec6 sa remove -n aged
? 0

# Without a grace the old SPI is gone at once.
$ ipsec6 sa rekey -n out1 -p 0x1201 -k 0x0f0e0d0c0b0a09080706050403020100 -K 0x1112131415161718191a1b1c1d1e1f2021222324 --grace-period=0
? 0

$ ipsec6 sa list
| Name  Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State    Encapsulation
| ----  -----------  -----------  ------  ---------  --------------------  -------------------  -------  -------  -------------
| out1  2001:db8::1  2001:db8::2  0x1201  transport  aes128-cbc            hmac-sha1            p1       mature   none
| gcm   2001:db8::2  2001:db8::1  0x2101  transport  aes128-gcm16                               p2       mature   none
| out1  2001:db8::1  2001:db8::2  0x1001  transport  aes128-cbc            hmac-sha1                     retired  none
| gcm   2001:db8::2  2001:db8::1  0x2001  transport  aes128-gcm16                                        retired  none
? 0

# Errors: no such SA; the same SPI; an SPI taken by another SA (a retired one too); keys
# missing or of the wrong length for the SA's algorithms; the AES-GCM key the SA has (its IVs
# would repeat); a retired SA is not rekeyed by its name (the current one is).
$ ipsec6 sa rekey -n nosuch -p 0x3001 -k 0x00112233445566778899aabbccddeeff -K 0x6970763672656164796c6f67736861316f757432
! SA 'nosuch' does not exist
? 1

$ ipsec6 sa rekey -n out1 -p 0x1201 -k 0x00112233445566778899aabbccddeeff -K 0x6970763672656164796c6f67736861316f757432
! SA 'out1' has SPI 0x1201 already: a rekey needs a new SPI, so that the peer can tell the new keys from the old
? 1

$ ipsec6 sa rekey -n out1 -p 0x1001 -k 0x00112233445566778899aabbccddeeff -K 0x6970763672656164796c6f67736861316f757432
! an SA with source 2001:db8::1, destination 2001:db8::2 and SPI 0x1001 already exists
? 1

$ ipsec6 sa rekey -n gcm -p 0x2001 -k 0x00112233445566778899aabbccddeeff01020304
! an SA with source 2001:db8::2, destination 2001:db8::1 and SPI 0x2001 already exists
? 1

$ ipsec6 sa rekey -n out1 -p 0x1301 -K 0x6970763672656164796c6f67736861316f757432
! Missing required parameter -k|--encryption-key
? 1

$ ipsec6 sa rekey -n out1 -p 0x1301 -k 0x00112233445566778899aabbccddeeff
! Missing required parameter -K|--integrity-key
? 1

$ ipsec6 sa rekey -n out1 -p 0x1301 -k 0x0011 -K 0x6970763672656164796c6f67736861316f757432
! encryption key is 2 bytes, aes128-cbc needs 16
? 1

$ ipsec6 sa rekey -n gcm -p 0x2201 -k 0xaabbccddeeff00112233445566778899a1a2a3a4
! SA 'gcm' already has this AES-GCM key: under one key the IVs (the sequence numbers) would repeat (RFC 4106 section 3.1); give every SA a key of its own
? 1

$ ipsec6 sa rekey -n gcm -p 0x2201 -k 0x00112233445566778899aabbccddeeff01020304 -K 0x6970763672656164796c6f67736861316f757432
! aes128-gcm16 takes no integrity key
? 1

$ ipsec6 sa rekey -n out1 -p 0x1301 -k 0x00112233445566778899aabbccddeeff -K 0x6970763672656164796c6f67736861316f757432 --grace-period=-1
! invalid grace period '-1': use 0-86400 seconds
? 1

$ ipsec6 sa rekey -n out1 -p 0x1301 -k 0x00112233445566778899aabbccddeeff -K 0x6970763672656164796c6f67736861316f757432 --grace-period=86401
! invalid grace period '86401': use 0-86400 seconds
? 1

$ ipsec6 sa rekey -n out1 -k 0x00112233445566778899aabbccddeeff -K 0x6970763672656164796c6f67736861316f757432
! Error: Missing required parameter -p|--sa-spi
!
! Usage: ipsec6 sa rekey [cmd options]
!
! Description:
!   rekey                 Give a Security Association a new SPI and new keys in
!                         one step; the policies that name it go on with them. The
!                         old SPI is still accepted inbound for the grace period.
!
! Cmd options:
!   -k|--encryption-key=<str>
!                         The new encryption key, as for sa add, for the SA's
!                         algorithm. Required unless its encryption algorithm is
!                         null.
!   --encryption-key-file=<str>
!                         Read the encryption key from this file (one line), so
!                         that it does not appear in the process list.
!   --grace-period=<long>
!                         Seconds during which inbound packets under the old SPI
!                         are still accepted (default 300); 0: the old SPI is
!                         refused at once.
!   -K|--integrity-key=<str>
!                         The new integrity key, as for sa add, for the SA's
!                         algorithm. Required unless its encryption algorithm is
!                         AES-GCM.
!   --integrity-key-file=<str>
!                         Read the integrity key from this file (one line), so
!                         that it does not appear in the process list.
!   -n|--sa-name=<str>    Name of the Security Association to rekey. (required)
!   -p|--sa-spi=<str>     The new Security Parameter Index: 0x followed by
!                         hexadecimal digits, 0x100-0xffffffff, other than the
!                         current one. (required)
? 1

$ esxcli network ip ipsec sa rekey -n out1 -p 0x1301 -k 0x00112233445566778899aabbccddeeff -K 0x6970763672656164796c6f67736861316f757432
! Error: Unknown command or namespace network ip ipsec sa rekey
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

# sa remove by name takes the retired SAs of the name with it; by auto, one retired SA alone.
$ ipsec6 sa remove -n auto -s 2001:db8::2 -d 2001:db8::1 -p 0x2001
? 0

$ ipsec6 sp remove -n p1
? 0

$ ipsec6 sa remove -n out1
? 0

$ ipsec6 sa list
| Name  Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State   Encapsulation
| ----  -----------  -----------  ------  ---------  --------------------  -------------------  -------  ------  -------------
| gcm   2001:db8::2  2001:db8::1  0x2101  transport  aes128-gcm16                               p2       mature  none
? 0

# A retired SA in the configuration's form: when it was retired and its grace (retired "in the
# future", as by a clock set back since: its grace is whole, never longer). Both or neither.
$ ipsec6 sa add -n out1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1002 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --retired=4102444800 --grace-period=300
? 0

$ ipsec6 sa add -n out1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1003 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --retired=4102444800
! Error: --retired and --grace-period go together
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

$ ipsec6 sa add -n out1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1003 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --retired=yesterday --grace-period=300
! invalid time retired 'yesterday': use seconds since 1970, 1-9223372036854775807
? 1

$ ipsec6 sa add -n out1 -s 2001:db8::1 -d 2001:db8::2 -p 0x1003 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 --retired=4102444800 --grace-period=86401
! invalid grace period '86401': use 0-86400 seconds
? 1

# A key the SA's algorithm does not take: null encryption has none.
$ ipsec6 sa add -n nul -s any -d 2001:db8::9 -p 0x6001 -e null -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432
? 0

$ ipsec6 sa rekey -n nul -p 0x6002 -k 0x00112233445566778899aabbccddeeff -K 0x0102030405060708090a0b0c0d0e0f1011121314
! null encryption takes no key
? 1

$ ipsec6 sa remove -n nul
? 0

$ ipsec6 save
| # ipsec6 configuration
| sa add --sa-name=gcm --sa-source=2001:db8::2 --sa-destination=2001:db8::1 --sa-spi=0x2101 --sa-mode=transport --encryption-algorithm=aes128-gcm16 --encryption-key=0xaabbccddeeff00112233445566778899a1a2a3a4
| sa add --sa-name=out1 --sa-source=2001:db8::1 --sa-destination=2001:db8::2 --sa-spi=0x1002 --sa-mode=transport --encryption-algorithm=aes128-cbc --encryption-key=0x00112233445566778899aabbccddeeff --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432 --retired=4102444800 --grace-period=300
| sp add --sp-name=p2 --sp-source=2001:db8::2/128 --sp-destination=2001:db8::1/128 --source-port=any --destination-port=any --upper-layer-protocol=any --flow-direction=in --action=ipsec --sp-mode=transport --sa-name=gcm
? 0

# A restart keeps it, and the rest of its grace.
%restart
$ ipsec6 sa list
| Name  Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State    Encapsulation
| ----  -----------  -----------  ------  ---------  --------------------  -------------------  -------  -------  -------------
| gcm   2001:db8::2  2001:db8::1  0x2101  transport  aes128-gcm16                               p2       mature   none
| out1  2001:db8::1  2001:db8::2  0x1002  transport  aes128-cbc            hmac-sha1                     retired  none
? 0
