/* imgraph.h: a host's disk images and who depends on each. Every image a
 * domain's disk chain, a pool volume's backing file or a snapshot names is
 * a node; its dependencies are the images backed by it (overlays: linked
 * clones, snapshot overlays, revert overlays), the domain disks that use
 * it anywhere in their chain, the external snapshots that froze it and
 * the internal snapshots that live in it. Pure data, built from what
 * libvirt reports (act-chain.c reads it on the worker), so that every
 * block job, revert and delete asks the same questions before it writes,
 * rewinds or removes an image. */
#ifndef VIRTMUX_IMGRAPH_H
#define VIRTMUX_IMGRAPH_H

#include <stdbool.h>
#include <stddef.h>

enum imdep_kind {
    IMDEP_OVERLAY,           /* path is backed by this image */
    IMDEP_DISK,              /* dom's disk uses it (its file or a backing layer) */
    IMDEP_FROZEN,            /* dom's external snapshot snap froze it */
    IMDEP_INTERNAL,          /* dom's internal snapshot snap lives in it */
};

struct imdep {
    enum imdep_kind kind;
    char *path;              /* OVERLAY: the image backed by this one */
    char *dom, *disk;        /* DISK, FROZEN, INTERNAL: the domain, its disk target */
    char *snap;              /* FROZEN, INTERNAL: the snapshot */
    bool running;            /* DISK: the domain runs on it now */
};

struct image {
    char *path;
    char *backing;           /* NULL: none, or not known */
    struct imdep *deps;
    size_t ndeps;
};

struct imgraph {
    struct image *v;
    size_t n;
};

struct imgraph *imgraph_new(void);
void imgraph_free(struct imgraph *g);
/* The image at path, or NULL (borrowed). */
const struct image *imgraph_find(const struct imgraph *g, const char *path);

/* Facts, in any order and any number of times (duplicates are merged). */
void imgraph_add_backing(struct imgraph *g, const char *path, const char *backing);
/* A domain disk's chain: chain[0] the active file, then each backing file
 * (NULL-terminated); every layer gets a DISK dependency, each link a
 * backing edge. */
void imgraph_add_chain(struct imgraph *g, const char *dom, const char *disk, bool running,
                       char *const *chain);
/* A snapshot's disk: external, it froze path; internal, it lives in path. */
void imgraph_add_snapshot(struct imgraph *g, const char *dom, const char *snap,
                          const char *disk, const char *path, bool external);

/* The images above path: its overlays, theirs, and so on, nearest first
 * (NULL-terminated, caller frees with util_strv_free). */
char **imgraph_above(const struct imgraph *g, const char *path);

/* Who depends on path in one way, joined by ", ": OVERLAY the overlays'
 * file names ("web2.qcow2"), DISK "disk vda of 'web2'", FROZEN and
 * INTERNAL "'s1' of 'web1'"; NULL when none (caller frees). */
char *imgraph_names(const struct imgraph *g, const char *path, enum imdep_kind kind);

/* The words for one dependency of path ("volume /p/web2.qcow2 is backed by
 * it", "snapshot 's1' of 'web1' froze it"); caller frees. */
char *imgraph_dep_words(const struct imgraph *g, const struct imdep *d);

/* What a change to an image would break, decided with the graph.
 * dom/disk: the domain disk the change is made for (its chain is ours);
 * snap: the snapshot the change deletes (its record goes too), or NULL. */
struct imcheck {
    const char *dom, *disk, *snap;
    char *const *chain;      /* dom's disk chain now, active layer first */
};

/* Writing into base (a commit of the layers above it in chain): refused
 * when an image above base is not one of chain's layers (another branch, a
 * linked clone), or when base or a merged layer has a user, a freezing or
 * an internal snapshot other than ours. NULL when nothing blocks, else the
 * reasons joined by "; " (caller frees). */
char *imgraph_commit_blockers(const struct imgraph *g, const struct imcheck *k,
                              const char *base);
/* Writing into the active layer chain[0] (a pull): refused when anything
 * but our disk sits on it or a snapshot froze it. Same return. */
char *imgraph_pull_blockers(const struct imgraph *g, const struct imcheck *k);
/* Rewinding image (an internal snapshot's revert): hard is what belongs to
 * others (another domain's disk or snapshot on it or above it), soft what
 * is ours and would be left inconsistent: our snapshots that froze it or an
 * image above it, or live above it (names, in *snaps, NULL-terminated),
 * and the files above it (*files). Both NULL-terminated, caller frees. */
char *imgraph_rewind_blockers(const struct imgraph *g, const struct imcheck *k,
                              const char *image, char ***snaps, char ***files);
/* Whether anything depends on path once the layers in gone have left
 * chain's disk (a merge's leftover, before it is deleted); reasons or NULL. */
char *imgraph_remove_blockers(const struct imgraph *g, const struct imcheck *k,
                              const char *path);

#endif
