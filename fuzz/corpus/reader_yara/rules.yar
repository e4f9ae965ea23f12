/*
   Tessera test rules: written for the YARA reader's tests. They exercise the
   syntax variants the reader must cut and check correctly.
*/

import "pe"
import "math"
include "common/strings.yar"

// A plain rule with every meta field the reader maps.
rule Tessera_Loader_Strings : loader windows
{
    meta:
        description = "Detects the loader by its mutex and a \"quoted\" beacon path"
        author = "Tessera Test Team"
        date = "2024-03-18"
        modified = "2024/05/02"
        reference = "https://example.org/blog/loader-analysis"
        reference2 = "www.example.net/reports/loader.pdf"
        hash1 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        hash2 = "d41d8cd98f00b204e9800998ecf8427e"
        tlp = "TLP:AMBER"
        score = 75
        internal = true
    strings:
        $mutex = "Global\\TesseraLoaderMutex" ascii wide
        $path = "/gate.php?id=" nocase
        $ua = "Mozilla/4.0 (compatible; MSIE 6.0)" fullword
        $xored = "beacon" xor(0x01-0xff)
        $b64 = "cmd.exe /c" base64
    condition:
        uint16(0) == 0x5A4D and filesize < 2MB and 2 of ($mutex, $path, $ua) or any of ($xored, $b64)
}

private rule Tessera_Helper_PE
{
    condition:
        pe.is_pe and pe.number_of_sections > 3
}

global private rule Tessera_Size_Limit { condition: filesize < 20MB }

rule Tessera_Shellcode_Hex : shellcode
{
    meta:
        description = "Hex strings with wildcards, jumps and alternatives"
        author = "Tessera Test Team"
        date = "12.01.2023"
    strings:
        $stub = { 55 8B EC [2-4] 6A ?? 68 ( 00 10 | 00 20 ) 40 00 }  // prologue
        $loop = { E8 ?? ?? ?? ?? /* call */ 5? [4] ~00 C3 }
        $re = /https?:\/\/[a-z0-9.-]{4,32}\/(stage|load)\.bin/ nocase
        $s1 = "{not a hex string}"
    condition:
        for any of ($stub, $loop) : ( # > 0 and @[1] < 0x1000 ) and ($re or $s1)
}

rule Tessera_Packed_Sections
{
    meta:
        description = "High entropy sections"
        sharing = "TLP:GREEN"
    condition:
        Tessera_Helper_PE and
        for any section in pe.sections : ( math.entropy(section.raw_data_offset, section.raw_data_size) > 7.2 )
}

rule Tessera_Anonymous_Strings
{
    strings:
        $ = "first marker"
        $ = "second marker"
        $c1 = "counted"
    condition:
        all of them and #c1 > 2
}

rule Tessera_Broken_Missing_Condition
{
    meta:
        description = "No condition section: YARA refuses this rule"
    strings:
        $a = "abc"
}

rule Tessera_Broken_Undefined_String
{
    strings:
        $a = "abc"
    condition:
        $a and $b
}

rule Tessera_Broken_Unterminated_String
{
    strings:
        $a = "abc
    condition:
        $a
}

rule Tessera_Broken_Odd_Hex
{
    strings:
        $h = { 4D 5A 9 }
    condition:
        $h
}

rule Tessera_Broken_Unused_String
{
    strings:
        $used = "one"
        $unused = "two"
    condition:
        $used
}

rule Tessera_Broken_Module_Not_Imported
{
    condition:
        elf.type == elf.ET_EXEC
}

rule Tessera_Loader_Strings
{
    condition:
        true
}

rule Tessera_After_Errors : recovered
{
    meta:
        description = "Read after the broken rules above"
        date = "2023-02-30"
    strings:
        $a = "still read" wide
    condition:
        $a at pe.entry_point
}
