#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ (small valid files per format, hand-written).
Byte 0 of most inputs is the target's flag byte (see each fuzz/fuzz_*.c); files of one input are
separated by SEP. Run from anywhere: python3 fuzz/make_corpus.py"""
import os
import struct

SEP = b"\n=====\n"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

seeds = {
    "fuzz_csv": {
        "plain": b"\x00source,target\n1,2\n2,3\n3,1\n4,4\n",
        "weight_time": b"\x03source,target,weight,time\r\n\"a\",b,1.5,10\nb,\"c \"\"q\"\"\",0,12.0\n# c\n\nc,a,1e3,-5\n",
        "semicolon_bom": b"\x05\xef\xbb\xbfsource;target;weight\nx;y;2\ny;z;3\n",
        "tab_noheader": b"\x1b1\t2\t0.5\t7\n2\t3\t1\t8\n",
        "nodes": b"\x21source,target,weight\n1,2,1\n2,3,2\n"
        + SEP
        + b"id,kind,country,groups,flag,type\n1,person,ru,a;b,1,vessel\n2,Company,,,no,x\n3,,GB, c ,0,vessel\n",
        "length_inf": b"\x81source,target,weight\n1,2,inf\n2,1,0\n",
        "pattern": b"\x41source,target,weight\n1,2,oops\n",
    },
    "fuzz_edgelist": {
        "plain": b"\x00# comment\n% other\n1 2\n2 3\n3 1\n",
        "weights": b"\x08a\tb\t1.5\r\nb c 2\n\nc a 0\n",
        "undirected": b"\x01" b"7 7\n7 11\n",
        "length": b"\x101 2 inf\n2 3 1e-3\n",
    },
    "fuzz_mtx": {
        "coord_real": b"\x00%%MatrixMarket matrix coordinate real general\n% c\n3 3 3\n1 2 1.5\n2 3 2\n3 1 0\n",
        "coord_sym": b"\x01%%MatrixMarket matrix coordinate integer symmetric\n3 3 2\n2 1 4\n3 3 1\n",
        "pattern": b"\x00%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 2\n2 1\n",
        "array": b"\x00%%MatrixMarket matrix array real general\n2 2\n0\n1\n2.5\n0\n",
        "array_sym": b"\x00%%MatrixMarket matrix array integer symmetric\n2 2\n1\n3\n0\n",
    },
    "fuzz_sdn": {
        "sdn_only": b"\x00"
        b"10,\"ACME TRADING CO., LTD.\",-0- ,\"SDGT] [DPRK3\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        b"\"Linked To: Acme Holding S.A; Linked To: PB OF ELBONIA.\"\r\n"
        b"20,\"ACME HOLDING SA\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        b"30,\"\"\"PEOPLE'S\"\" BANK\",-0-,\"IRAN\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,"
        b"\"a.k.a. 'PB OF ELBONIA'; f.k.a. 'OLD PEOPLES BANK'.\"\r\n"
        b"40,\"CAF\xc9 ROYAL\",\"individual\",\"SDGT\",\"Director\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        b"\"DOB 1970; Linked To: Caf\xe9 Royal.\"\r\n"
        b"60,\"SEA STAR\",\"vessel\",\"DPRK3\",-0- ,\"HMAB\",\"Tanker\",\"1,000\",\"900\","
        b"\"Elbonia\",\"acme trading co ltd\",\"IMO 1234567.\"\r\n"
        b"90 ,\"AIR ONE \",  aircraft  ,\"IRAN\", -0- , -0- , -0- , -0- , -0- , -0- , -0- ,"
        b"\"Aircraft Model B747;\r\nLinked To: SEA STAR.\"\r\n\x1a",
        "with_alt_add": b"\x03"
        b"1,\"NATIONAL TANKER COMPANY\",-0- ,\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
        b"2,\"ARK\",\"vessel\",\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"NTC\",-0- \n"
        b"3,\"KIM, Il\",\"individual\",\"DPRK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
        + SEP
        + b"1,101,\"aka\",\"NTC\",-0- \n99,102,\"aka\",\"GHOST\",-0- \n\x1a"
        + SEP
        + b"1,202,-0- ,\"Dubai\",\"United Arab Emirates\",-0- \n3,203,-0- ,\"Pyongyang\",\"Korea, North\",-0- \n"
        b"2,206,-0- ,-0- ,\" burma \",-0- \n",
    },
    "fuzz_ftm": {
        "stream": b"{\"id\":\"own1\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"p1\"],"
        b"\"asset\":[\"c1\"],\"percentage\":[\"25-50%\"],\"startDate\":[\"2019-03\"]}}\n"
        b"{\"id\":\"dir1\",\"schema\":\"Directorship\",\"properties\":{\"director\":[\"p1\"],"
        b"\"organization\":[\"c2\"]}}\n"
        b"{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Jane Doe\"],"
        b"\"nationality\":[\"ru\"],\"topics\":[\"role.pep\"]}}\r\n"
        b"{\"id\":\"c1\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Acme \xc3\x96l\"],"
        b"\"jurisdiction\":[\"cy\"]}}\n"
        b"{\"id\":\"c2\",\"schema\":\"Company\",\"properties\":{\"country\":[\"gb-wls\",\"gb\"]}}\n"
        b"{\"id\":\"v1\",\"schema\":\"Vessel\",\"caption\":\"MV Sea\",\"properties\":{\"flag\":[\"pa\"]}}\n"
        b"{\"id\":\"pay1\",\"schema\":\"Payment\",\"properties\":{\"payer\":[\"c1\"],\"beneficiary\":"
        b"[\"c2\"],\"amount\":[\"1,000.50\"],\"currency\":[\"eur\"],\"date\":[\"2020-01-02T10:00\"]}}\n"
        b"{\"id\":\"own4\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"c1\"],\"asset\":"
        b"[\"v1\"],\"percentage\":[\">25%\"]}}\n"
        b"{\"id\":\"s1\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"c2\"],\"program\":"
        b"[\"UKRAINE-EO13662\",\"A/B\"]}}\n"
        b"{\"id\":\"a1\",\"schema\":\"Address\",\"properties\":{}}\n",
    },
    "fuzz_icij": {
        "entities": b"\x00node_id,name,jurisdiction,country_codes,countries,sourceID\n"
        b"10,Acme,BVI,VGB,British Virgin Islands,Panama Papers\n"
        b"11,\"Big \"\"Co\"\", M\xfcller Ltd\",XX,,,Panama Papers\n"
        + SEP
        + b"node_id_start,node_id_end,rel_type,link,status\n"
        b"20,10,officer_of,shareholder of 50%,\n11,10,officer_of,owner (25-50%),\n"
        b"10,11,same_name_as,same name as,\n10,99,registered_address,,\n11,10,underlying,,\n",
        "officers": b"\x01node_id,name,countries,country_codes,sourceID\r\n"
        b"20,Jane Doe,Hong Kong,HKG;GBR,Paradise Papers\r\n21,John Roe,,XXX,Paradise/Papers\r\n"
        + SEP
        + b"node_id_start,node_id_end,rel_type,link\n21,20,officer_of,Director\n20,21,intermediary_of,\n",
        "addresses": b"\x03node_id,address,name,country_codes\n30,\"1 Main St\",,pan\n"
        + SEP
        + b"node_id_start,node_id_end,rel_type\n30,30,registered_address\n",
    },
    "fuzz_merge": {
        "int_pairs": b"\x001,2\n3,4\n# comment\n\n5,99,0.9,note\n",
        "int_header_tab": b"\x00a\tb\n1\t3\n6\t8\n",
        "str_pairs": b"\x01\xef\xbb\xbfleft,right,score\nalice,bob,1\n\"x y\",\xc3\xa9\nghost,eve\n",
        "str_quoted": b"\x01\"dave\",\"eve\"\r\ncarol,alice\r\n",
    },
    "fuzz_graph_h5": {
        # n=3, m=2: int64 ids, names, kinds, countries, bools, int32 endpoints, layer indices,
        # weights, times; one layer "edges" (amount, ETH, directed); group designated = {0}.
        "full": bytes([3, 2, 0, 0, 1])
        + bytes([9, 0]) + struct.pack("<3q", 10, 20, 30)
        + bytes([19, 0, 3]) + b"Ann" + bytes([0, 2]) + b"\xc3\xa9"
        + bytes([3, 0, 0, 1, 2])
        + bytes([21, 0]) + b"RUGB\0\0"
        + bytes([25, 0, 1, 0, 0])
        + bytes([7, 0]) + struct.pack("<2i", 0, 1)
        + bytes([7, 0]) + struct.pack("<2i", 1, 2)
        + bytes([0, 0, 0, 0])
        + bytes([3, 0, 0, 0])
        + bytes([15, 0]) + struct.pack("<2d", 1.5, 2.0)
        + bytes([9, 0]) + struct.pack("<2q", 100, 200)
        + bytes([3, 20, 0, 0, 1])
        + bytes([1, 7, 201]) + struct.pack("<i", 0),
        # n=2, m=1: string ids only, no /layers, no groups.
        "strings": bytes([2, 1, 0, 0, 1])
        + bytes([19, 0, 1]) + b"a" + bytes([1]) + b"b"
        + bytes([0, 0] * 4)
        + bytes([7, 0]) + struct.pack("<i", 1)
        + bytes([7, 0]) + struct.pack("<i", 0)
        + bytes([0, 0] * 6)
        + bytes([0, 0]),
    },
}

for target, files in seeds.items():
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
