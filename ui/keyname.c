/* keyname.c: curses key codes to the names key tables use ("Up", "C-r",
 * "F5", "Enter", a character itself). */
#include <autoconf.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "ui.h"

void
ui_key_name(int rc, wint_t ch, char *buf, size_t len)
{
    static const struct { int code; const char *name; } keys[] = {
        { KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" },
        { KEY_RIGHT, "Right" }, { KEY_PPAGE, "PageUp" }, { KEY_NPAGE, "PageDown" },
        { KEY_HOME, "Home" }, { KEY_END, "End" }, { KEY_BACKSPACE, "Backspace" },
        { KEY_DC, "Delete" }, { KEY_IC, "Insert" }, { KEY_ENTER, "Enter" },
        { KEY_BTAB, "BTab" }, { KEY_RESIZE, "Resize" },
    };

    if (rc == KEY_CODE_YES) {
        if (ch >= (wint_t)KEY_F(1) && ch <= (wint_t)KEY_F(12)) {
            snprintf(buf, len, "F%d", (int)(ch - KEY_F0));
            return;
        }
        for (size_t i = 0; i < ARRAY_CARDINALITY(keys); i++) {
            if ((wint_t)keys[i].code == ch) {
                snprintf(buf, len, "%s", keys[i].name);
                return;
            }
        }
        snprintf(buf, len, "Key%d", (int)ch);
        return;
    }
    if (ch == '\r' || ch == '\n')
        snprintf(buf, len, "Enter");
    else if (ch == '\t')
        snprintf(buf, len, "Tab");
    else if (ch == 27)
        snprintf(buf, len, "Esc");
    else if (ch == 127 || ch == 8)
        snprintf(buf, len, "Backspace");
    else if (ch == ' ')
        snprintf(buf, len, "Space");
    else if (ch >= 0x1c && ch <= 0x1f)
        snprintf(buf, len, "C-%c", "\\]^_"[ch - 0x1c]);
    else if (ch < 32)
        snprintf(buf, len, "C-%c", (char)(ch + 'a' - 1));
    else {
        mbstate_t st;
        size_t n;

        memset(&st, 0, sizeof(st));
        n = wcrtomb(buf, (wchar_t)ch, &st);
        if (n == (size_t)-1)
            n = 0;
        buf[n] = '\0';
    }
}
