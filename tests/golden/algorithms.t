# The algorithms of issue 10, ipsec6 extensions that every name of the command accepts (CLI.md
# "sa add"): aes256-cbc, aes128-gcm16 and aes256-gcm16 (RFC 4106), hmac-sha2-384
# (HMAC-SHA-384-192) and hmac-sha2-512 (HMAC-SHA-512-256), their key lengths, how sa list, save
# and the Wireshark export show them, and that they survive a restart.

# aes256-cbc takes a 32-byte key; the SHA-2 HMACs a key as long as their digest (RFC 4868).
$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::2 -p 0x1001 -e aes256-cbc -k 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f -i hmac-sha2-384 -K 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f -n sa_256_384
? 0

$ vicfg-ipsec --add-sa --sa-src 2001:db8::1 --sa-dst 2001:db8::3 --sa-mode tunnel --spi 0x1002 --ealgo aes128-cbc --ekey 0x00112233445566778899aabbccddeeff --ialgo hmac-sha2-512 --ikey 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f sa_128_512
? 0

$ ipsec6 sa add -n sa_null_512 -s any -d 2001:db8::4 -p 0x1003 -e null -i hmac-sha2-512 -K abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01
? 0

# AES-GCM: the AES key then the 4-byte salt, and no integrity algorithm (it protects integrity
# itself); sa list shows no integrity algorithm for it.
$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::5 -p 0x1005 -e aes128-gcm16 -k 0x000102030405060708090a0b0c0d0e0fcafebabe -n sa_gcm128
? 0

$ vicfg-ipsec --add-sa --sa-src 2001:db8::1 --sa-dst 2001:db8::6 --sa-mode tunnel --spi 0x1006 --ealgo aes256-gcm16 --ekey 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fdecafbad sa_gcm256
? 0

$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::5 -p 0x1007 -e aes128-gcm16 -k 0x000102030405060708090a0b0c0d0e0f -n sa_x
! encryption key is 16 bytes, aes128-gcm16 needs 20: the 16-byte AES key, then the 4-byte salt (RFC 4106)
? 1

$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::5 -p 0x1007 -e aes256-gcm16 -k 0x000102030405060708090a0b0c0d0e0fcafebabe -n sa_x
! encryption key is 20 bytes, aes256-gcm16 needs 36: the 32-byte AES key, then the 4-byte salt (RFC 4106)
? 1

$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::5 -p 0x1007 -e aes128-gcm16 -k 0x000102030405060708090a0b0c0d0e0fcafebabe -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! aes128-gcm16 takes no integrity algorithm: it protects integrity itself (RFC 4106)
? 1

$ vicfg-ipsec --add-sa --sa-src 2001:db8::1 --sa-dst 2001:db8::6 --spi 0x1007 --ealgo aes256-gcm16 --ekey 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fdecafbad --ikey 0x6970763672656164796c6f67736861316f757432 sa_x
! aes256-gcm16 takes no integrity key
? 1

# No two SAs may hold one AES-GCM key: both would count their IVs from 1 under it.
$ ipsec6 sa add -n sa_gcm_again -s 2001:db8::5 -d 2001:db8::1 -p 0x1008 -e aes128-gcm16 -k 0x000102030405060708090a0b0c0d0e0fdeadbeef
! SA 'sa_gcm128' already has this AES-GCM key: under one key the IVs (the sequence numbers) would repeat (RFC 4106 section 3.1); give every SA a key of its own
? 1

# Extended sequence numbers (--esn, native): the configuration file keeps them.
$ ipsec6 sa add -n sa_esn -s 2001:db8::1 -d 2001:db8::7 -p 0x1009 -e aes256-gcm16 -k 0x101112131415161718191a1b1c1d1e1f000102030405060708090a0b0c0d0e0fdecafbad --esn --replay-window 65536
? 0

$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::7 -p 0x100a -e aes256-gcm16 -k 0x101112131415161718191a1b1c1d1e1f000102030405060708090a0b0c0d0e0fdecafbad --esn -n sa_x
! Error: Invalid option --esn
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

# Without GCM the integrity algorithm and key stay required.
$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::5 -p 0x1007 -e aes256-cbc -k 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f -n sa_x
! Error: Missing required parameter -i|--integrity-algorithm
!        Missing required parameter -K|--integrity-key
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

# Wrong lengths say what the algorithm needs.
$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::2 -p 0x1004 -e aes256-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! encryption key is 16 bytes, aes256-cbc needs 32
? 1

$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::2 -p 0x1004 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha2-384 -K 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff -n sa_x
! integrity key is 32 bytes, hmac-sha2-384 needs 48
? 1

$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::2 -p 0x1004 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha2-512 -K 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f -n sa_x
! integrity key is 48 bytes, hmac-sha2-512 needs 64
? 1

# Names are exact: no other spellings.
$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::2 -p 0x1004 -e aes-256-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha1 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! invalid encryption algorithm 'aes-256-cbc': use null, 3des-cbc, aes128-cbc, aes256-cbc, aes128-gcm16 or aes256-gcm16
? 1

$ esxcli network ip ipsec sa add -s 2001:db8::1 -d 2001:db8::2 -p 0x1004 -e aes128-cbc -k 0x00112233445566778899aabbccddeeff -i hmac-sha384 -K 0x6970763672656164796c6f67736861316f757432 -n sa_x
! invalid integrity algorithm 'hmac-sha384': use hmac-sha1, hmac-sha2-256, hmac-sha2-384 or hmac-sha2-512
? 1

# sa list shows the names as they were given, in every formatter.
$ esxcli network ip ipsec sa list
| Name         Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| -----------  -----------  -----------  ------  ---------  --------------------  -------------------  -------
| sa_256_384   2001:db8::1  2001:db8::2  0x1001  transport  aes256-cbc            hmac-sha2-384
| sa_128_512   2001:db8::1  2001:db8::3  0x1002  tunnel     aes128-cbc            hmac-sha2-512
| sa_null_512  any          2001:db8::4  0x1003  transport  null                  hmac-sha2-512
| sa_gcm128    2001:db8::1  2001:db8::5  0x1005  transport  aes128-gcm16
| sa_gcm256    2001:db8::1  2001:db8::6  0x1006  tunnel     aes256-gcm16
| sa_esn       2001:db8::1  2001:db8::7  0x1009  transport  aes256-gcm16
? 0

$ esxcli --formatter=csv network ip ipsec sa list
| Name,Source,Destination,SPI,Mode,Encryption Algorithm,Integrity Algorithm,Used By
| sa_256_384,2001:db8::1,2001:db8::2,0x1001,transport,aes256-cbc,hmac-sha2-384,
| sa_128_512,2001:db8::1,2001:db8::3,0x1002,tunnel,aes128-cbc,hmac-sha2-512,
| sa_null_512,any,2001:db8::4,0x1003,transport,null,hmac-sha2-512,
| sa_gcm128,2001:db8::1,2001:db8::5,0x1005,transport,aes128-gcm16,,
| sa_gcm256,2001:db8::1,2001:db8::6,0x1006,tunnel,aes256-gcm16,,
| sa_esn,2001:db8::1,2001:db8::7,0x1009,transport,aes256-gcm16,,
? 0

$ vicfg-ipsec --list-sa
| Name         Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| -----------  -----------  -----------  ------  ---------  --------------------  -------------------  -------
| sa_256_384   2001:db8::1  2001:db8::2  0x1001  transport  aes256-cbc            hmac-sha2-384
| sa_128_512   2001:db8::1  2001:db8::3  0x1002  tunnel     aes128-cbc            hmac-sha2-512
| sa_null_512  any          2001:db8::4  0x1003  transport  null                  hmac-sha2-512
| sa_gcm128    2001:db8::1  2001:db8::5  0x1005  transport  aes128-gcm16
| sa_gcm256    2001:db8::1  2001:db8::6  0x1006  tunnel     aes256-gcm16
| sa_esn       2001:db8::1  2001:db8::7  0x1009  transport  aes256-gcm16
? 0

$ esxcli --formatter=json network ip ipsec sa list
| [{"Name": "sa_256_384", "Source": "2001:db8::1", "Destination": "2001:db8::2", "SPI": "0x1001", "Mode": "transport", "EncryptionAlgorithm": "aes256-cbc", "IntegrityAlgorithm": "hmac-sha2-384", "UsedBy": ""}, {"Name": "sa_128_512", "Source": "2001:db8::1", "Destination": "2001:db8::3", "SPI": "0x1002", "Mode": "tunnel", "EncryptionAlgorithm": "aes128-cbc", "IntegrityAlgorithm": "hmac-sha2-512", "UsedBy": ""}, {"Name": "sa_null_512", "Source": "any", "Destination": "2001:db8::4", "SPI": "0x1003", "Mode": "transport", "EncryptionAlgorithm": "null", "IntegrityAlgorithm": "hmac-sha2-512", "UsedBy": ""}, {"Name": "sa_gcm128", "Source": "2001:db8::1", "Destination": "2001:db8::5", "SPI": "0x1005", "Mode": "transport", "EncryptionAlgorithm": "aes128-gcm16", "IntegrityAlgorithm": "", "UsedBy": ""}, {"Name": "sa_gcm256", "Source": "2001:db8::1", "Destination": "2001:db8::6", "SPI": "0x1006", "Mode": "tunnel", "EncryptionAlgorithm": "aes256-gcm16", "IntegrityAlgorithm": "", "UsedBy": ""}, {"Name": "sa_esn", "Source": "2001:db8::1", "Destination": "2001:db8::7", "SPI": "0x1009", "Mode": "transport", "EncryptionAlgorithm": "aes256-gcm16", "IntegrityAlgorithm": "", "UsedBy": ""}]
? 0

# The configuration file keeps them, and Wireshark gets its own names for them.
$ ipsec6 save
| # ipsec6 configuration
| sa add --sa-name=sa_256_384 --sa-source=2001:db8::1 --sa-destination=2001:db8::2 --sa-spi=0x1001 --sa-mode=transport --encryption-algorithm=aes256-cbc --encryption-key=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f --integrity-algorithm=hmac-sha2-384 --integrity-key=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
| sa add --sa-name=sa_128_512 --sa-source=2001:db8::1 --sa-destination=2001:db8::3 --sa-spi=0x1002 --sa-mode=tunnel --encryption-algorithm=aes128-cbc --encryption-key=0x00112233445566778899aabbccddeeff --integrity-algorithm=hmac-sha2-512 --integrity-key=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
| sa add --sa-name=sa_null_512 --sa-source=any --sa-destination=2001:db8::4 --sa-spi=0x1003 --sa-mode=transport --encryption-algorithm=null --integrity-algorithm=hmac-sha2-512 --integrity-key=0x6162636465666768696a6b6c6d6e6f707172737475767778797a303132333435363738396162636465666768696a6b6c6d6e6f707172737475767778797a3031
| sa add --sa-name=sa_gcm128 --sa-source=2001:db8::1 --sa-destination=2001:db8::5 --sa-spi=0x1005 --sa-mode=transport --encryption-algorithm=aes128-gcm16 --encryption-key=0x000102030405060708090a0b0c0d0e0fcafebabe
| sa add --sa-name=sa_gcm256 --sa-source=2001:db8::1 --sa-destination=2001:db8::6 --sa-spi=0x1006 --sa-mode=tunnel --encryption-algorithm=aes256-gcm16 --encryption-key=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fdecafbad
| sa add --sa-name=sa_esn --sa-source=2001:db8::1 --sa-destination=2001:db8::7 --sa-spi=0x1009 --sa-mode=transport --encryption-algorithm=aes256-gcm16 --encryption-key=0x101112131415161718191a1b1c1d1e1f000102030405060708090a0b0c0d0e0fdecafbad --replay-window=65536 --esn
? 0

$ ipsec6 sa export --wireshark --show-keys
| "IPv6","2001:db8::1","2001:db8::2","0x00001001","AES-CBC [RFC3602]","0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","HMAC-SHA-384-192 [RFC4868]","0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
| "IPv6","2001:db8::1","2001:db8::3","0x00001002","AES-CBC [RFC3602]","0x00112233445566778899aabbccddeeff","HMAC-SHA-512-256 [RFC4868]","0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
| "IPv6","*","2001:db8::4","0x00001003","NULL","","HMAC-SHA-512-256 [RFC4868]","0x6162636465666768696a6b6c6d6e6f707172737475767778797a303132333435363738396162636465666768696a6b6c6d6e6f707172737475767778797a3031"
| "IPv6","2001:db8::1","2001:db8::5","0x00001005","AES-GCM with 16 octet ICV [RFC4106]","0x000102030405060708090a0b0c0d0e0fcafebabe","NULL",""
| "IPv6","2001:db8::1","2001:db8::6","0x00001006","AES-GCM with 16 octet ICV [RFC4106]","0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fdecafbad","NULL",""
| "IPv6","2001:db8::1","2001:db8::7","0x00001009","AES-GCM with 16 octet ICV [RFC4106]","0x101112131415161718191a1b1c1d1e1f000102030405060708090a0b0c0d0e0fdecafbad","NULL",""
? 0

%restart
$ ipsec6 sa list
| Name         Source       Destination  SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By  State   Encapsulation
| -----------  -----------  -----------  ------  ---------  --------------------  -------------------  -------  ------  -------------
| sa_256_384   2001:db8::1  2001:db8::2  0x1001  transport  aes256-cbc            hmac-sha2-384                 mature  none
| sa_128_512   2001:db8::1  2001:db8::3  0x1002  tunnel     aes128-cbc            hmac-sha2-512                 mature  none
| sa_null_512  any          2001:db8::4  0x1003  transport  null                  hmac-sha2-512                 mature  none
| sa_gcm128    2001:db8::1  2001:db8::5  0x1005  transport  aes128-gcm16                                        mature  none
| sa_gcm256    2001:db8::1  2001:db8::6  0x1006  tunnel     aes256-gcm16                                        mature  none
| sa_esn       2001:db8::1  2001:db8::7  0x1009  transport  aes256-gcm16                                        mature  none
? 0
