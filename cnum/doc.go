// Package cnum parses numbers the way C's strtoul family does with base 0,
// because strongSwan reads VICI arguments and configuration values that way:
// leading blanks, an optional sign, 0x for hexadecimal, a leading 0 for
// octal, else decimal; no underscores, no 0b or 0o.
package cnum
