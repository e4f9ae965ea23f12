import "pe"
rule a : t { meta: x = -0x10 y = "\x41" strings: $ = { 4D ~5A [1-] ( ?? | 00 ) } $b = /a\/b/is condition: any of them and pe.is_pe }
