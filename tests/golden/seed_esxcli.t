# The examples of VMware's "Setting Up IPsec" page, verbatim through esxcli: the SA, the SP
# (with "sp" and in the doc form without it), the lists, the refusal to remove an SA in use,
# --remove-all and the auto form.

$ esxcli network ip ipsec sa add --sa-source 3ffe:501:ffff:0::a --sa-destination 3ffe:501:ffff:0001:0000:0000:0000:a --sa-mode transport --sa-spi 0x1000 --encryption-algorithm 3des-cbc --encryption-key 0x6970763672656164796c6f676f336465736362636f757432 --integrity-algorithm hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 --sa-name sa_2
? 0

$ esxcli network ip ipsec sp add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 --source-port=23 --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out --action=ipsec --sp-mode=transport --sp-name sp_2
? 0

$ esxcli network ip ipsec sa list
| Name  Source            Destination         SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| ----  ----------------  ------------------  ------  ---------  --------------------  -------------------  -------
| sa_2  3ffe:501:ffff::a  3ffe:501:ffff:1::a  0x1000  transport  3des-cbc              hmac-sha1
? 0

$ esxcli network ip ipsec sp list
| Name  Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode       SA Name
| ----  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ---------  -------
| sp_2  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport
? 0

# The same policy again is a duplicate.
$ esxcli network ip ipsec sp add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 --source-port=23 --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out --action=ipsec --sp-mode=transport --sp-name sp_2
! policy 'sp_2' already exists
? 1

# The doc form: "esxcli network ip ipsec add|list|remove" means the sp command.
$ esxcli network ip ipsec remove --sp-name sp_2
? 0

$ esxcli network ip ipsec list
| Name  Source  Destination  Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode  SA Name
| ----  ------  -----------  -----------  ----------------  --------------------  ---------  ------  ----  -------
? 0

$ esxcli network ip ipsec add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 --source-port=23 --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out --action=ipsec --sp-mode=transport --sp-name sp_2
? 0

$ esxcli network ip ipsec list
| Name  Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode       SA Name
| ----  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ---------  -------
| sp_2  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport
? 0

# A policy that names the SA: the SA is then in use.
$ esxcli network ip ipsec sp add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 --source-port=23 --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out --action=ipsec --sp-mode=transport --sa-name sa_2 --sp-name sp_3
? 0

$ esxcli network ip ipsec sa list
| Name  Source            Destination         SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| ----  ----------------  ------------------  ------  ---------  --------------------  -------------------  -------
| sa_2  3ffe:501:ffff::a  3ffe:501:ffff:1::a  0x1000  transport  3des-cbc              hmac-sha1            sp_3
? 0

$ esxcli network ip ipsec sp list
| Name  Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode       SA Name
| ----  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ---------  -------
| sp_2  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport
| sp_3  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport  sa_2
? 0

$ esxcli network ip ipsec sa remove --sa-name sa_2
! SA 'sa_2' is in use by policy: sp_3
? 1

$ esxcli network ip ipsec sa list
| Name  Source            Destination         SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| ----  ----------------  ------------------  ------  ---------  --------------------  -------------------  -------
| sa_2  3ffe:501:ffff::a  3ffe:501:ffff:1::a  0x1000  transport  3des-cbc              hmac-sha1            sp_3
? 0

# Once the policy is gone the SA can go.
$ esxcli network ip ipsec sp remove --sp-name sp_3
? 0

$ esxcli network ip ipsec sa remove --sa-name sa_2
? 0

$ esxcli network ip ipsec sa list
| Name  Source  Destination  SPI  Mode  Encryption Algorithm  Integrity Algorithm  Used By
| ----  ------  -----------  ---  ----  --------------------  -------------------  -------
? 0

# The auto form names the SA by source, destination and SPI, whatever its name.
$ esxcli network ip ipsec sa add --sa-source 3ffe:501:ffff:0::a --sa-destination 3ffe:501:ffff:0001:0000:0000:0000:a --sa-mode transport --sa-spi 0x1000 --encryption-algorithm 3des-cbc --encryption-key 0x6970763672656164796c6f676f336465736362636f757432 --integrity-algorithm hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 --sa-name sa_2
? 0

$ esxcli network ip ipsec sa remove --sa-name auto --sa-source 3ffe:501:ffff::a --sa-destination 3ffe:501:ffff:1::a --sa-spi 0x1001
! no SA with source 3ffe:501:ffff::a, destination 3ffe:501:ffff:1::a and SPI 0x1001 exists
? 1

$ esxcli network ip ipsec sa remove --sa-name auto --sa-source 3ffe:501:ffff::a --sa-destination 3ffe:501:ffff:1::a --sa-spi 0x1000
? 0

$ esxcli network ip ipsec sa list
| Name  Source  Destination  SPI  Mode  Encryption Algorithm  Integrity Algorithm  Used By
| ----  ------  -----------  ---  ----  --------------------  -------------------  -------
? 0

# --remove-all removes SAs in use too; the policies that named them stay and protect
# nothing (their traffic is discarded).
$ esxcli network ip ipsec sa add --sa-source 3ffe:501:ffff:0::a --sa-destination 3ffe:501:ffff:0001:0000:0000:0000:a --sa-mode transport --sa-spi 0x1000 --encryption-algorithm 3des-cbc --encryption-key 0x6970763672656164796c6f676f336465736362636f757432 --integrity-algorithm hmac-sha1 --integrity-key 0x6970763672656164796c6f67736861316f757432 --sa-name sa_2
? 0

$ esxcli network ip ipsec sp add --sp-source=2001:0DB8:0001:/48 --sp-destination=2001:0DB8:0002:/48 --source-port=23 --destination-port=25 --upper-layer-protocol=tcp --flow-direction=out --action=ipsec --sp-mode=transport --sa-name sa_2 --sp-name sp_3
? 0

$ esxcli network ip ipsec sa remove --remove-all
? 0

$ esxcli network ip ipsec sa list
| Name  Source  Destination  SPI  Mode  Encryption Algorithm  Integrity Algorithm  Used By
| ----  ------  -----------  ---  ----  --------------------  -------------------  -------
? 0

$ esxcli network ip ipsec sp list
| Name  Source           Destination      Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode       SA Name
| ----  ---------------  ---------------  -----------  ----------------  --------------------  ---------  ------  ---------  -------
| sp_2  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport
| sp_3  2001:db8:1::/48  2001:db8:2::/48           23                25  tcp                   out        ipsec   transport  sa_2
? 0

$ esxcli network ip ipsec sp remove --remove-all
? 0

$ esxcli network ip ipsec sp list
| Name  Source  Destination  Source Port  Destination Port  Upper Layer Protocol  Direction  Action  Mode  SA Name
| ----  ------  -----------  -----------  ----------------  --------------------  ---------  ------  ----  -------
? 0

# Removing what is not there.
$ esxcli network ip ipsec sa remove --sa-name sa_2
! SA 'sa_2' does not exist
? 1

$ esxcli network ip ipsec sp remove --sp-name sp_2
! policy 'sp_2' does not exist
? 1

$ esxcli network ip ipsec sa remove --remove-all
? 0

$ esxcli network ip ipsec sp remove --remove-all
? 0
