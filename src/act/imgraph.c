/* imgraph.c: the image graph (see imgraph.h). A flat array of images with
 * their dependencies; hosts have tens to a few thousand images, and the
 * graph is built for one decision and thrown away, so lookups are linear.
 * The decisions only ever widen what blocks: a fact the graph does not
 * have cannot make a change look safe that another fact makes unsafe. */
#include <autoconf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgraph.h"
#include "util.h"

struct imgraph *
imgraph_new(void)
{
    return xcalloc(1, sizeof(struct imgraph));
}

void
imgraph_free(struct imgraph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++) {
        for (size_t k = 0; k < g->v[i].ndeps; k++) {
            free(g->v[i].deps[k].path);
            free(g->v[i].deps[k].dom);
            free(g->v[i].deps[k].disk);
            free(g->v[i].deps[k].snap);
        }
        free(g->v[i].deps);
        free(g->v[i].path);
        free(g->v[i].backing);
    }
    free(g->v);
    free(g);
}

const struct image *
imgraph_find(const struct imgraph *g, const char *path)
{
    for (size_t i = 0; path && i < g->n; i++) {
        if (STREQ(g->v[i].path, path))
            return &g->v[i];
    }
    return NULL;
}

static struct image *
get(struct imgraph *g, const char *path)
{
    struct image *im = (struct image *)imgraph_find(g, path);

    if (im)
        return im;
    g->v = xreallocarray(g->v, g->n + 1, sizeof(*g->v));
    im = &g->v[g->n++];
    *im = (struct image){ .path = xstrdup(path) };
    return im;
}

static bool
eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && STREQ(a, b));
}

static void
add_dep(struct image *im, const struct imdep *d)
{
    for (size_t i = 0; i < im->ndeps; i++) {
        struct imdep *o = &im->deps[i];

        if (o->kind == d->kind && eq(o->path, d->path) && eq(o->dom, d->dom) &&
            eq(o->disk, d->disk) && eq(o->snap, d->snap)) {
            o->running = o->running || d->running;
            return;
        }
    }
    im->deps = xreallocarray(im->deps, im->ndeps + 1, sizeof(*im->deps));
    im->deps[im->ndeps++] = (struct imdep){ d->kind, xstrdup(d->path), xstrdup(d->dom),
                                            xstrdup(d->disk), xstrdup(d->snap), d->running };
}

void
imgraph_add_backing(struct imgraph *g, const char *path, const char *backing)
{
    struct image *im;

    if (!path || !*path || !backing || !*backing || STREQ(path, backing))
        return;
    im = get(g, path);
    if (!im->backing)
        im->backing = xstrdup(backing);
    add_dep(get(g, backing), &(struct imdep){ .kind = IMDEP_OVERLAY, .path = (char *)path });
}

void
imgraph_add_chain(struct imgraph *g, const char *dom, const char *disk, bool running,
                  char *const *chain)
{
    for (size_t i = 0; chain && chain[i]; i++) {
        add_dep(get(g, chain[i]), &(struct imdep){ .kind = IMDEP_DISK, .dom = (char *)dom,
                                                   .disk = (char *)disk,
                                                   .running = running });
        if (chain[i + 1])
            imgraph_add_backing(g, chain[i], chain[i + 1]);
    }
}

void
imgraph_add_snapshot(struct imgraph *g, const char *dom, const char *snap, const char *disk,
                     const char *path, bool external)
{
    if (!path || !*path)
        return;
    add_dep(get(g, path), &(struct imdep){ .kind = external ? IMDEP_FROZEN : IMDEP_INTERNAL,
                                           .dom = (char *)dom, .disk = (char *)disk,
                                           .snap = (char *)snap });
}

static bool
in_list(char *const *v, const char *s)
{
    for (size_t i = 0; v && v[i]; i++) {
        if (STREQ(v[i], s))
            return true;
    }
    return false;
}

static void
push(char ***v, size_t *n, const char *s)
{
    *v = xreallocarray(*v, *n + 2, sizeof(char *));
    (*v)[(*n)++] = xstrdup(s);
    (*v)[*n] = NULL;
}

char **
imgraph_above(const struct imgraph *g, const char *path)
{
    char **v = xcalloc(1, sizeof(char *));
    size_t n = 0;

    /* breadth first; the visited list stops a (broken) cycle */
    push(&v, &n, path);
    for (size_t i = 0; i < n; i++) {
        const struct image *im = imgraph_find(g, v[i]);

        for (size_t k = 0; im && k < im->ndeps; k++) {
            if (im->deps[k].kind == IMDEP_OVERLAY && !in_list(v, im->deps[k].path))
                push(&v, &n, im->deps[k].path);
        }
    }
    /* path itself is not above itself */
    free(v[0]);
    memmove(v, v + 1, n * sizeof(char *));
    return v;
}

/* Who uses image path as a disk, "disk vda of 'web2' (running)", or NULL. */
static char *
users_of(const struct imgraph *g, const char *path)
{
    const struct image *im = imgraph_find(g, path);
    char *s = NULL;

    for (size_t k = 0; im && k < im->ndeps; k++) {
        const struct imdep *d = &im->deps[k];
        char *t;

        if (d->kind != IMDEP_DISK)
            continue;
        t = xasprintf("%s%sdisk %s of '%s'%s", s ? s : "", s ? ", " : "", d->disk, d->dom,
                      d->running ? " (running)" : "");
        free(s);
        s = t;
    }
    return s;
}

char *
imgraph_names(const struct imgraph *g, const char *path, enum imdep_kind kind)
{
    const struct image *im = imgraph_find(g, path);
    char *s = NULL;

    for (size_t k = 0; im && k < im->ndeps; k++) {
        const struct imdep *d = &im->deps[k];
        AUTOFREE char *one = NULL;
        char *t;

        if (d->kind != kind)
            continue;
        if (kind == IMDEP_OVERLAY)
            one = xstrdup(strrchr(d->path, '/') ? strrchr(d->path, '/') + 1 : d->path);
        else if (kind == IMDEP_DISK)
            one = xasprintf("disk %s of '%s'", d->disk, d->dom);
        else
            one = xasprintf("'%s' of '%s'", d->snap, d->dom);
        t = xasprintf("%s%s%s", s ? s : "", s ? ", " : "", one);
        free(s);
        s = t;
    }
    return s;
}

char *
imgraph_dep_words(const struct imgraph *g, const struct imdep *d)
{
    AUTOFREE char *users = NULL;

    switch (d->kind) {
    case IMDEP_OVERLAY:
        users = users_of(g, d->path);
        return xasprintf("%s%s%s%s is backed by it", d->path, users ? " (" : "",
                         users ? users : "", users ? ")" : "");
    case IMDEP_DISK:
        return xasprintf("it is disk %s of '%s'%s", d->disk, d->dom,
                         d->running ? " (running)" : "");
    case IMDEP_FROZEN:
        return xasprintf("snapshot '%s' of '%s' froze it", d->snap, d->dom);
    case IMDEP_INTERNAL:
        return xasprintf("internal snapshot '%s' of '%s' lives in it", d->snap, d->dom);
    }
    return xstrdup("?");
}

/* Append "path: words" to *s (words taken over). */
static void
add_reason(char **s, const char *path, char *words)
{
    char *t = xasprintf("%s%s%s: %s", *s ? *s : "", *s ? "; " : "", path, words);

    free(words);
    free(*s);
    *s = t;
}

static bool
ours_disk(const struct imcheck *k, const struct imdep *d)
{
    return d->kind == IMDEP_DISK && eq(d->dom, k->dom) && eq(d->disk, k->disk);
}

static bool
ours_snap(const struct imcheck *k, const struct imdep *d)
{
    return d->kind == IMDEP_FROZEN && k->snap && eq(d->dom, k->dom) && eq(d->snap, k->snap);
}

/* The index of path in the chain, or -1. */
static int
chain_index(char *const *chain, const char *path)
{
    for (int i = 0; chain && chain[i]; i++) {
        if (STREQ(chain[i], path))
            return i;
    }
    return -1;
}

char *
imgraph_commit_blockers(const struct imgraph *g, const struct imcheck *k, const char *base)
{
    int b = chain_index(k->chain, base);
    char *why = NULL;
    char **above;

    if (b <= 0)
        return xasprintf("%s is not below the top of disk %s's chain", base, k->disk);
    /* everything that reads through base must be one of our layers */
    above = imgraph_above(g, base);
    for (size_t i = 0; above[i]; i++) {
        int at = chain_index(k->chain, above[i]);
        AUTOFREE char *users = NULL;

        if (at >= 0 && at < b)
            continue;
        users = users_of(g, above[i]);
        add_reason(&why, base, users ? xasprintf("%s (%s) reads through it", above[i], users)
                                     : xasprintf("%s reads through it", above[i]));
    }
    util_strv_free(above);
    /* base and the layers merged into it: only our disk and our snapshot */
    for (int i = 0; i <= b; i++) {
        const struct image *im = imgraph_find(g, k->chain[i]);

        for (size_t j = 0; im && j < im->ndeps; j++) {
            const struct imdep *d = &im->deps[j];

            if (d->kind == IMDEP_OVERLAY || ours_disk(k, d) || ours_snap(k, d))
                continue;
            /* an internal snapshot inside base keeps its own clusters */
            if (i == b && d->kind == IMDEP_INTERNAL && eq(d->dom, k->dom))
                continue;
            /* our frozen layers above base are the snapshot's own chain */
            add_reason(&why, im->path, imgraph_dep_words(g, d));
        }
    }
    return why;
}

char *
imgraph_pull_blockers(const struct imgraph *g, const struct imcheck *k)
{
    const struct image *im = k->chain && k->chain[0] ? imgraph_find(g, k->chain[0]) : NULL;
    char *why = NULL;

    for (size_t j = 0; im && j < im->ndeps; j++) {
        const struct imdep *d = &im->deps[j];

        if (ours_disk(k, d) || (d->kind == IMDEP_INTERNAL && eq(d->dom, k->dom)))
            continue;
        add_reason(&why, im->path, imgraph_dep_words(g, d));
    }
    return why;
}

char *
imgraph_rewind_blockers(const struct imgraph *g, const struct imcheck *k, const char *image,
                        char ***snaps, char ***files)
{
    char **above = imgraph_above(g, image);
    size_t ns = 0, nf = 0;
    char *why = NULL;

    *snaps = xcalloc(1, sizeof(char *));
    *files = xcalloc(1, sizeof(char *));
    for (size_t i = 0; i == 0 || above[i - 1]; i++) {
        const char *p = i == 0 ? image : above[i - 1];
        const struct image *im = imgraph_find(g, p);

        if (i > 0)
            push(files, &nf, p);
        for (size_t j = 0; im && j < im->ndeps; j++) {
            const struct imdep *d = &im->deps[j];

            if (d->kind == IMDEP_OVERLAY)
                continue;
            if (!eq(d->dom, k->dom)) {
                add_reason(&why, p, imgraph_dep_words(g, d));
                continue;
            }
            /* ours: the disk goes back to image (the revert's own
             * change); internal snapshots inside image stay whole */
            if (d->kind == IMDEP_DISK || (i == 0 && d->kind == IMDEP_INTERNAL))
                continue;
            if (!in_list(*snaps, d->snap))
                push(snaps, &ns, d->snap);
        }
    }
    util_strv_free(above);
    return why;
}

char *
imgraph_remove_blockers(const struct imgraph *g, const struct imcheck *k, const char *path)
{
    const struct image *im = imgraph_find(g, path);
    char *why = NULL;

    for (size_t j = 0; im && j < im->ndeps; j++) {
        if (!ours_snap(k, &im->deps[j]))
            add_reason(&why, path, imgraph_dep_words(g, &im->deps[j]));
    }
    return why;
}
