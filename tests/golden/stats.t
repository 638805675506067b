# ipsec6 stats: the data path's counters, three sections, in every formatter. A golden daemon
# runs with --no-dataplane, so every counter is 0 (client.py checks the formatters on counters
# that are not). Native only; no options; not in a batch.

# Nothing configured: the three sections, empty.
$ ipsec6 stats
| Security Associations:
| Name  SPI  Packets In  Bytes In  Packets Out  Bytes Out  Drops
| ----  ---  ----------  --------  -----------  ---------  -----
|
| Security Policies:
| Name  Direction  Action  Matches
| ----  ---------  ------  -------
|
| Global Drops:
| Reason  Packets
| ------  -------
? 0

$ ipsec6 --formatter=csv stats
| Name,SPI,Packets In,Bytes In,Packets Out,Bytes Out,Drops
|
| Name,Direction,Action,Matches
|
| Reason,Packets
? 0

$ ipsec6 --formatter=keyvalue stats
? 0

$ ipsec6 --formatter=xml stats
| <?xml version="1.0" encoding="utf-8"?>
| <output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">
| <root>
|    <structure typeName="IPsecStats">
|       <field name="SecurityAssociations">
|          <list type="structure">
|          </list>
|       </field>
|       <field name="SecurityPolicies">
|          <list type="structure">
|          </list>
|       </field>
|       <field name="GlobalDrops">
|          <list type="structure">
|          </list>
|       </field>
|    </structure>
| </root>
| </output>
? 0

$ ipsec6 --formatter=json stats
| {"SecurityAssociations": [], "SecurityPolicies": [], "GlobalDrops": []}
? 0

$ ipsec6 sa add --sa-name=sa_2 --sa-source=2001:db8:1::121 --sa-destination=2001:db8:1::122 --sa-spi=0x1000 --encryption-algorithm=aes128-cbc --encryption-key=0x00112233445566778899aabbccddeeff --integrity-algorithm=hmac-sha1 --integrity-key=0x6970763672656164796c6f67736861316f757432
? 0

$ ipsec6 sa add -n sa_null -s any -d any -p 0x1001 -e null -i hmac-sha2-256 -K 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
? 0

$ ipsec6 sp add -n sp_out -s 2001:db8:1::121/128 -d 2001:db8:1::122/128 -w out -A ipsec -a sa_2
? 0

$ ipsec6 sp add -n sp_in -s 2001:db8:1::122/128 -d 2001:db8:1::121/128 -w in -A ipsec -a sa_2
? 0

$ ipsec6 sp add -n drop-rest -s any -d any -w in -A discard
? 0

# One row per SA and per policy, in the order of sa list and sp list; no global drop.
$ ipsec6 stats
| Security Associations:
| Name     SPI     Packets In  Bytes In  Packets Out  Bytes Out  Drops
| -------  ------  ----------  --------  -----------  ---------  -----
| sa_2     0x1000           0         0            0          0
| sa_null  0x1001           0         0            0          0
|
| Security Policies:
| Name       Direction  Action   Matches
| ---------  ---------  -------  -------
| sp_out     out        ipsec          0
| sp_in      in         ipsec          0
| drop-rest  in         discard        0
|
| Global Drops:
| Reason  Packets
| ------  -------
? 0

$ ipsec6 --formatter=csv stats
| Name,SPI,Packets In,Bytes In,Packets Out,Bytes Out,Drops
| sa_2,0x1000,0,0,0,0,
| sa_null,0x1001,0,0,0,0,
|
| Name,Direction,Action,Matches
| sp_out,out,ipsec,0
| sp_in,in,ipsec,0
| drop-rest,in,discard,0
|
| Reason,Packets
? 0

$ ipsec6 --formatter=keyvalue stats
| IPsecSAStats.Name.string=sa_2
| IPsecSAStats.SPI.string=0x1000
| IPsecSAStats.PacketsIn.string=0
| IPsecSAStats.BytesIn.string=0
| IPsecSAStats.PacketsOut.string=0
| IPsecSAStats.BytesOut.string=0
| IPsecSAStats.Drops.string=
|
| IPsecSAStats.Name.string=sa_null
| IPsecSAStats.SPI.string=0x1001
| IPsecSAStats.PacketsIn.string=0
| IPsecSAStats.BytesIn.string=0
| IPsecSAStats.PacketsOut.string=0
| IPsecSAStats.BytesOut.string=0
| IPsecSAStats.Drops.string=
|
| IPsecSPStats.Name.string=sp_out
| IPsecSPStats.Direction.string=out
| IPsecSPStats.Action.string=ipsec
| IPsecSPStats.Matches.string=0
|
| IPsecSPStats.Name.string=sp_in
| IPsecSPStats.Direction.string=in
| IPsecSPStats.Action.string=ipsec
| IPsecSPStats.Matches.string=0
|
| IPsecSPStats.Name.string=drop-rest
| IPsecSPStats.Direction.string=in
| IPsecSPStats.Action.string=discard
| IPsecSPStats.Matches.string=0
? 0

$ ipsec6 --formatter=xml stats
| <?xml version="1.0" encoding="utf-8"?>
| <output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">
| <root>
|    <structure typeName="IPsecStats">
|       <field name="SecurityAssociations">
|          <list type="structure">
|             <structure typeName="IPsecSAStats">
|                <field name="Name">
|                   <string>sa_2</string>
|                </field>
|                <field name="SPI">
|                   <string>0x1000</string>
|                </field>
|                <field name="PacketsIn">
|                   <string>0</string>
|                </field>
|                <field name="BytesIn">
|                   <string>0</string>
|                </field>
|                <field name="PacketsOut">
|                   <string>0</string>
|                </field>
|                <field name="BytesOut">
|                   <string>0</string>
|                </field>
|                <field name="Drops">
|                   <string></string>
|                </field>
|             </structure>
|             <structure typeName="IPsecSAStats">
|                <field name="Name">
|                   <string>sa_null</string>
|                </field>
|                <field name="SPI">
|                   <string>0x1001</string>
|                </field>
|                <field name="PacketsIn">
|                   <string>0</string>
|                </field>
|                <field name="BytesIn">
|                   <string>0</string>
|                </field>
|                <field name="PacketsOut">
|                   <string>0</string>
|                </field>
|                <field name="BytesOut">
|                   <string>0</string>
|                </field>
|                <field name="Drops">
|                   <string></string>
|                </field>
|             </structure>
|          </list>
|       </field>
|       <field name="SecurityPolicies">
|          <list type="structure">
|             <structure typeName="IPsecSPStats">
|                <field name="Name">
|                   <string>sp_out</string>
|                </field>
|                <field name="Direction">
|                   <string>out</string>
|                </field>
|                <field name="Action">
|                   <string>ipsec</string>
|                </field>
|                <field name="Matches">
|                   <string>0</string>
|                </field>
|             </structure>
|             <structure typeName="IPsecSPStats">
|                <field name="Name">
|                   <string>sp_in</string>
|                </field>
|                <field name="Direction">
|                   <string>in</string>
|                </field>
|                <field name="Action">
|                   <string>ipsec</string>
|                </field>
|                <field name="Matches">
|                   <string>0</string>
|                </field>
|             </structure>
|             <structure typeName="IPsecSPStats">
|                <field name="Name">
|                   <string>drop-rest</string>
|                </field>
|                <field name="Direction">
|                   <string>in</string>
|                </field>
|                <field name="Action">
|                   <string>discard</string>
|                </field>
|                <field name="Matches">
|                   <string>0</string>
|                </field>
|             </structure>
|          </list>
|       </field>
|       <field name="GlobalDrops">
|          <list type="structure">
|          </list>
|       </field>
|    </structure>
| </root>
| </output>
? 0

$ ipsec6 --formatter=json stats
| {"SecurityAssociations": [{"Name": "sa_2", "SPI": "0x1000", "PacketsIn": "0", "BytesIn": "0", "PacketsOut": "0", "BytesOut": "0", "Drops": ""}, {"Name": "sa_null", "SPI": "0x1001", "PacketsIn": "0", "BytesIn": "0", "PacketsOut": "0", "BytesOut": "0", "Drops": ""}], "SecurityPolicies": [{"Name": "sp_out", "Direction": "out", "Action": "ipsec", "Matches": "0"}, {"Name": "sp_in", "Direction": "in", "Action": "ipsec", "Matches": "0"}, {"Name": "drop-rest", "Direction": "in", "Action": "discard", "Matches": "0"}], "GlobalDrops": []}
? 0

# The lists stay as ESXi shows them: no counters there.
$ esxcli network ip ipsec sa list
| Name     Source           Destination      SPI     Mode       Encryption Algorithm  Integrity Algorithm  Used By
| -------  ---------------  ---------------  ------  ---------  --------------------  -------------------  ------------
| sa_2     2001:db8:1::121  2001:db8:1::122  0x1000  transport  aes128-cbc            hmac-sha1            sp_out,sp_in
| sa_null  any              any              0x1001  transport  null                  hmac-sha2-256
? 0

# A removed SA leaves the report with it.
$ ipsec6 sa remove -n sa_null
? 0

$ ipsec6 stats
| Security Associations:
| Name  SPI     Packets In  Bytes In  Packets Out  Bytes Out  Drops
| ----  ------  ----------  --------  -----------  ---------  -----
| sa_2  0x1000           0         0            0          0
|
| Security Policies:
| Name       Direction  Action   Matches
| ---------  ---------  -------  -------
| sp_out     out        ipsec          0
| sp_in      in         ipsec          0
| drop-rest  in         discard        0
|
| Global Drops:
| Reason  Packets
| ------  -------
? 0

$ ipsec6 stats --help
| Usage: ipsec6 stats [cmd options]
|
| Description:
|   stats                 Show the data path's counters: packets, bytes and drops
|                         per Security Association, matches per Security Policy,
|                         and global drops.
? 0

$ ipsec6 stats --all
! Error: Invalid option --all
!
! Usage: ipsec6 stats [cmd options]
!
! Description:
!   stats                 Show the data path's counters: packets, bytes and drops
!                         per Security Association, matches per Security Policy,
!                         and global drops.
? 1

$ ipsec6 stats sa_2
! Error: Invalid option sa_2
!
! Usage: ipsec6 stats [cmd options]
!
! Description:
!   stats                 Show the data path's counters: packets, bytes and drops
!                         per Security Association, matches per Security Policy,
!                         and global drops.
? 1

# Not a command of esxcli (nor of vicfg-ipsec, whose operations are its own table).
$ esxcli network ip ipsec stats
! Error: Unknown command or namespace network ip ipsec stats
!
! Usage: esxcli network ip ipsec {cmd} [cmd options]
!
! Available Namespaces:
!   sa                    Operations on IPsec Security Associations.
!   sp                    Operations on IPsec Security Policies.
? 1

# A query has no place in a batch.
$ ipsec6 -f -
< stats
! ipsec6: standard input: line 1 is a query: a batch holds changes only (add, remove)
? 1
