# The same examples through vicfg-ipsec: its own options, the name last.

$ vicfg-ipsec --add-sa --sa-src 3ffe:501:ffff:0::a --sa-dst 3ffe:501:ffff:0001:0000:0000:0000:a --sa-mode transport --spi 0x1000 --ealgo 3des-cbc --ekey 0x6970763672656164796c6f676f336465736362636f757432 --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 sa_2
? 0

$ vicfg-ipsec --add-sp --sp-src 2001:0DB8:0001:/48 --sp-dst 2001:0DB8:0002:/48 --src-port 23 --dst-port 25 --ulproto tcp --dir out --action ipsec --sp-mode transport sp_2
? 0

$ vicfg-ipsec --add-sp --sp-src=2001:0DB8:0001:/48 --sp-dst=2001:0DB8:0002:/48 --src-port=23 --dst-port=25 --ulproto=tcp --dir=out --action=ipsec --sp-mode=transport --sa-name=sa_2 sp_3
? 0

$ vicfg-ipsec --list-sa
| Name  Source            Destination         SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| ----  ----------------  ------------------  ------  ---------  --------------------  -------------------  -------
| sa_2  3ffe:501:ffff::a  3ffe:501:ffff:1::a  0x1000  transport  3des-cbc              hmac-sha1            sp_3
? 0

$ vicfg-ipsec --list-sp
| Name  Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode       SA Name
| ----  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ---------  -------
| sp_2  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport
| sp_3  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport  sa_2
? 0

# What esxcli added, vicfg-ipsec lists, and the other way round.
$ esxcli network ip ipsec sa add -s any -d 3ffe:501:ffff:1::b -p 0x2000 -e null -i hmac-sha2-256 -K 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f -n sa_null
? 0

$ vicfg-ipsec --list-sa
| Name     Source            Destination         SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| -------  ----------------  ------------------  ------  ---------  --------------------  -------------------  -------
| sa_2     3ffe:501:ffff::a  3ffe:501:ffff:1::a  0x1000  transport  3des-cbc              hmac-sha1            sp_3
| sa_null  any               3ffe:501:ffff:1::b  0x2000  transport  null                  hmac-sha2-256
? 0

$ esxcli network ip ipsec sa list
| Name     Source            Destination         SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| -------  ----------------  ------------------  ------  ---------  --------------------  -------------------  -------
| sa_2     3ffe:501:ffff::a  3ffe:501:ffff:1::a  0x1000  transport  3des-cbc              hmac-sha1            sp_3
| sa_null  any               3ffe:501:ffff:1::b  0x2000  transport  null                  hmac-sha2-256
? 0

# An SA in use is refused, naming the policy.
$ vicfg-ipsec --remove-sa sa_2
! SA 'sa_2' is in use by policy: sp_3
? 1

$ vicfg-ipsec --remove-sp sp_3
? 0

$ vicfg-ipsec --remove-sa sa_2
? 0

$ vicfg-ipsec --list-sa
| Name     Source  Destination         SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| -------  ------  ------------------  ------  ---------  --------------------  -------------------  -------
| sa_null  any     3ffe:501:ffff:1::b  0x2000  transport  null                  hmac-sha2-256
? 0

# --flush-sa removes every SA, in use or not.
$ vicfg-ipsec --add-sp --sp-src any --sp-dst 3ffe:501:ffff:1::b/128 --dir out --action ipsec --sa-name sa_null sp_null
? 0

$ vicfg-ipsec --flush-sa
? 0

$ vicfg-ipsec --list-sa
| Name  Source  Destination  SPI  Mode  Encryption Algorithm  Integrity Algorithm  Used By
| ----  ------  -----------  ---  ----  --------------------  -------------------  -------
? 0

$ vicfg-ipsec --list-sp
| Name     Source           Destination             Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode       SA Name
| -------  ---------------  ----------------------  -----------  ----------------  --------------------  ---------  ------  ---------  -------
| sp_2     2001:db8:1::/48  2001:db8:2::/48                  23                25  tcp                   out        ipsec   transport
| sp_null  any              3ffe:501:ffff:1::b/128          any               any  any                   out        ipsec   transport  sa_null
? 0

$ vicfg-ipsec --flush-sp
? 0

$ vicfg-ipsec --list-sp
| Name  Source  Destination  Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode  SA Name
| ----  ------  -----------  -----------  ----------------  --------------------  ---------  ------  ----  -------
? 0

# Refusals by the daemon are printed as they are.
$ vicfg-ipsec --remove-sa sa_2
! SA 'sa_2' does not exist
? 1

$ vicfg-ipsec --remove-sp sp_2
! policy 'sp_2' does not exist
? 1

$ vicfg-ipsec --add-sa --sa-src 192.0.2.1 --sa-dst any --spi 0x1000 --ealgo null --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 sa_v4
! '192.0.2.1' is an IPv4 address: only IPv6 is supported
? 1

$ vicfg-ipsec --add-sa --sa-src any --sa-dst any --spi 0xff --ealgo null --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 sa_lowspi
! SPI '0xff' is reserved (0x1-0xff)
? 1

$ vicfg-ipsec --add-sa --sa-src any --sa-dst any --spi 0x100 --ealgo aes128-cbc --ekey 0123456789abcde --ialgo hmac-sha1 --ikey 0x6970763672656164796c6f67736861316f757432 sa_shortkey
! encryption key is 15 bytes, aes128-cbc needs 16
? 1

$ vicfg-ipsec --add-sp --sp-src any --sp-dst any --dir out --action discard --sa-name sa_2 sp_discard
! SA 'sa_2' does not exist
? 1

$ vicfg-ipsec --add-sp --sp-src any --sp-dst any --dir sideways --action ipsec sp_dir
! invalid flow direction 'sideways': use in or out
? 1
