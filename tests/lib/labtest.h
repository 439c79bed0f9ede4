/* labtest.h: what the lab tests share (a real daemon and real guests;
 * libtestscreen.a, labtest.c): run a shell command (virsh, qemu-img, ...)
 * and read its output, time the steps, answer a y/N question, read the
 * message history, and talk to a guest on its serial console in
 * virtmux's console pane. Include it instead of vmtest.h. */
#ifndef VIRTMUX_LABTEST_H
#define VIRTMUX_LABTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmtest.h"

/* the guest's view of the marker: 6 bytes at sector 2048 of its first virtio disk */
#define LAB_READ_MARK "echo 3 > /proc/sys/vm/drop_caches; " \
                      "dd if=/dev/vda bs=512 skip=2048 count=1 2>/dev/null | head -c 6"

/* ---- outside: shell commands, files, time ---- */

/* Run a shell command (printf-style); its exit status. */
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The first line of a shell command's output (without the newline), in buf. */
char *sh_out(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The output of a shell command, lines joined by spaces, trimmed, in buf. */
char *sh_all(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The file's sha256 (hex) in buf. */
const char *sha256(const char *path, char *buf, size_t len);
/* The 6-byte marker at 1 MiB as the qcow2 image reads (through its backing chain), "" if unreadable. */
const char *img_mark(const char *path, char *buf);
/* The file exists. */
bool exists(const char *path);
/* Wait up to ms until path is gone. */
bool wait_gone(const char *path, int ms);
/* Start the clock of step() (main does, first). */
void lab_clock_start(void);
/* Seconds since lab_clock_start. */
double elapsed(void);
/* "[ 12.34 s] what" on stderr. */
void step(const char *what);
/* A volume's file in labpool (virsh vol-path), "" if none. */
const char *lab_vol_path(const char *uri, const char *vol, char *buf, size_t len);
/* virsh domstate of dom ("running", "shut off", or virsh's error). */
const char *lab_dom_state(const char *uri, const char *dom, char *buf, size_t len);
/* vda's file in the running domain (or its definition: inactive). */
const char *lab_vda(const char *uri, const char *dom, bool inactive, char *buf, size_t len);
/* vda's whole chain as libvirt has it: its file, then each backing file. */
const char *lab_chain(const char *uri, const char *dom, char *buf, size_t len);
/* A string field of qemu-img info --output=json ("format", "backing-filename"...; "" if absent). */
const char *lab_img_field(const char *path, const char *field, char *buf, size_t len);

/* ---- the screen ---- */

/* A ':' command that asks y/N: check the question, answer y. */
void confirmed(struct scr *s, const char *line, const char *question);
/* The message history ('m', keys home first) has a row with every text given (NULL-ended)
 * within ms; closes it again. */
bool lab_history_has(struct scr *s, int ms, ...) __attribute__((sentinel));

/* ---- a guest on its serial console in virtmux's console pane ---- */

struct lab_guest {
    const char *dom;
    const char *serial;              /* its serial log (LAB_SERIAL_LOG...) */
    bool in_console;                 /* its console pane has the keys */
};

/* whose console has the keys now, or NULL */
extern struct lab_guest *lab_keys;

/* Wait up to ms for g's banner in its serial log (truncated at each start). */
bool lab_banner(const struct lab_guest *g, int ms);
/* Leave the console's input mode: the keys are virtmux's again. */
void lab_keys_home(struct scr *s);
/* A ':' command typed with the keys home (no console has them). */
void lab_command(struct scr *s, const char *line);
/* g's console pane, opened (or focused) with the keys in it. */
void lab_open(struct scr *s, struct lab_guest *g);
/* Open g's console and press Enter once a second until the prompt answers. */
void lab_prompt(struct scr *s, struct lab_guest *g);
/* Run expr in g once ("echo Q<n>-<what>-$(expr)-END"): its answer within ms in got, or "nothing". */
const char *lab_ask(struct scr *s, struct lab_guest *g, const char *what, const char *expr,
                    int ms, char *got, size_t glen);
/* g reads LAB_READ_MARK: it must be mark (why says when). */
void lab_expect_mark(struct scr *s, struct lab_guest *g, const char *mark, const char *why);
/* g syncs its disk (QEMU writes out its qcow2 metadata: qemu-io then reads what g wrote). */
void lab_flush(struct scr *s, struct lab_guest *g);
/* Press Enter once a second (40 s at most) until the prompt shows "marker-N"; 0 or -1. */
int wait_prompt(struct scr *s, const char *marker);
/* Ask the guest on the console with the keys until the answer to expr reads want (up to ms);
 * the answer it gave last in got. */
bool guest_until(struct scr *s, const char *what, const char *expr, const char *want, int ms,
                 char *got, size_t glen);

#endif
