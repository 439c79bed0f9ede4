/* vnc-keys.c: virtmux key names ("a", "Enter", "C-c", "M-x", "F2", "é")
 * as X keysyms for the guest, with the modifiers to hold; pure. */
#include <autoconf.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "vnc.h"

unsigned
vnc_keysym(const char *key, bool *shift, bool *ctrl)
{
    return vnc_keysym_alt(key, shift, ctrl, NULL);
}

unsigned
vnc_keysym_alt(const char *key, bool *shift, bool *ctrl, bool *alt)
{
    static const struct { const char *name; unsigned sym; } named[] = {
        { "Enter", 0xff0d }, { "Tab", 0xff09 }, { "BTab", 0xff09 },
        { "Backspace", 0xff08 }, { "Esc", 0xff1b }, { "Space", ' ' },
        { "Up", 0xff52 }, { "Down", 0xff54 }, { "Left", 0xff51 }, { "Right", 0xff53 },
        { "Home", 0xff50 }, { "End", 0xff57 }, { "PageUp", 0xff55 },
        { "PageDown", 0xff56 }, { "Insert", 0xff63 }, { "Delete", 0xffff },
    };
    static const char shifted[] = "~!@#$%^&*()_+{}|:\"<>?";
    mbstate_t st;
    wchar_t wc;

    *shift = *ctrl = false;
    if (alt)
        *alt = false;
    if (STRPREFIX(key, "M-") && key[2]) {
        bool dummy;

        if (alt)
            *alt = true;
        return vnc_keysym_alt(key + 2, shift, ctrl, &dummy);
    }
    for (size_t i = 0; i < ARRAY_CARDINALITY(named); i++) {
        if (STREQ(key, named[i].name)) {
            *shift = STREQ(key, "BTab");
            return named[i].sym;
        }
    }
    if (key[0] == 'F' && key[1] >= '1' && key[1] <= '9' && atoi(key + 1) <= 12)
        return 0xffbe + (unsigned)(atoi(key + 1) - 1);
    if (STRPREFIX(key, "C-") && key[2] && !key[3]) {
        *ctrl = true;
        return (unsigned)(key[2] >= 'A' && key[2] <= 'Z' ? key[2] - 'A' + 'a' : key[2]);
    }
    if (strlen(key) == 1) {
        unsigned char c = (unsigned char)key[0];

        *shift = (c >= 'A' && c <= 'Z') || strchr(shifted, c);
        return c;
    }
    /* one multibyte character, nothing else ("Resize" is not a key) */
    memset(&st, 0, sizeof(st));
    if ((unsigned char)key[0] >= 0x80 && mbrtowc(&wc, key, strlen(key), &st) == strlen(key))
        return wc < 0x100 ? (unsigned)wc : 0x01000000u | (unsigned)wc;
    return 0;
}
