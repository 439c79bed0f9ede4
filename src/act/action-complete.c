/* action-complete.c: Tab completion for the ':' line, from the action
 * table: command names, a row's --options, and the names its positional
 * arguments take (domains of the selected host, networks, files, other
 * commands), quoted as the line's parser will read them back. */
#include <autoconf.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "act.h"

struct cands {
    char **v;
    size_t n;
};

static void
cand_add(struct cands *cs, const char *prefix, const char *s, bool quote)
{
    if (!STRPREFIX(s, prefix))
        return;
    for (size_t i = 0; i < cs->n; i++) {
        if (STREQ(cs->v[i], s))
            return;
    }
    cs->v = xreallocarray(cs->v, cs->n + 2, sizeof(*cs->v));
    cs->v[cs->n++] = quote ? util_shell_quote(s) : xstrdup(s);
    cs->v[cs->n] = NULL;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
complete_files(struct cands *cs, const char *prefix)
{
    AUTOFREE char *dir = NULL;
    const char *slash = strrchr(prefix, '/'), *base;
    DIR *dh;
    struct dirent *de;

    dir = slash ? xstrndup(prefix, (size_t)(slash - prefix + 1)) : xstrdup(".");
    base = slash ? slash + 1 : prefix;
    if (!(dh = opendir(dir)))
        return;
    while ((de = readdir(dh))) {
        AUTOFREE char *full = NULL;

        if (de->d_name[0] == '.' && base[0] != '.')
            continue;
        full = slash ? xasprintf("%s%s%s", dir, de->d_name,
                                 de->d_type == DT_DIR ? "/" : "")
                     : xasprintf("%s%s", de->d_name, de->d_type == DT_DIR ? "/" : "");
        cand_add(cs, prefix, full, true);
    }
    closedir(dh);
}

/* Where the last word of line starts, by the same quoting rules as
 * util_split_words; *quote is the quote left open at the end (or 0). */
static size_t
last_word_start(const char *line, char *quote)
{
    size_t start = 0, i;
    bool blank = true;
    char q = 0;

    for (i = 0; line[i]; i++) {
        char c = line[i];

        if (q) {
            if (c == q)
                q = 0;
            else if (c == '\\' && q == '"' && line[i + 1])
                i++;
            continue;
        }
        if (c == ' ' || c == '\t') {
            blank = true;
            continue;
        }
        if (blank)
            start = i;
        blank = false;
        if (c == '\'' || c == '"')
            q = c;
        else if (c == '\\' && line[i + 1])
            i++;
    }
    *quote = q;
    return blank ? i : start;
}

/* The snapshots of the domain the line names (or the selected one); a
 * list not read yet is asked for, so the next Tab has it. */
static void
complete_snapshots(struct cands *cs, const char *cur, const struct act_ctx *ctx,
                   const char *domain)
{
    int host = ctx ? ctx->host : -1;
    const struct m_dom *d = domain ? model_dom_by_name(host, domain) : NULL;
    const struct m_snaps *s;

    if (!d && domain)
        d = model_dom_by_name(-1, domain);
    if (!d && ctx && ctx->uuid)
        d = model_dom_get(host, ctx->uuid);
    if (!d)
        return;
    if (!(s = model_snaps_get(d->host, d->uuid)) || s->n < 0) {
        host_load_snapshots(d->host, d->uuid);
        return;
    }
    for (int i = 0; i < s->n; i++)
        cand_add(cs, cur, s->v[i]->name, true);
}

char **
action_complete(const char *line, const struct act_ctx *ctx, size_t *start)
{
    struct cands cs = { NULL, 0 };
    bool trailing;
    int nw, npos = 0;
    const char *first = NULL;          /* the first positional word */
    char quote;
    size_t ws = last_word_start(line, &quote);
    AUTOFREE char *closed = quote ? xasprintf("%s%c", line, quote) : xstrdup(line);
    char **w = util_split_words(closed, &nw, &trailing);
    const char *cur;
    const struct action *a;
    int cur_idx;

    *start = ws;
    if (!w)
        return NULL;
    if (quote)
        trailing = false;
    cur_idx = trailing ? nw : nw - 1;
    cur = trailing || nw == 0 ? "" : w[nw - 1];
    if (cur_idx <= 0) {
        const struct action *all = action_table();

        for (const struct action *x = all; x->name; x++)
            cand_add(&cs, cur, x->name, false);
        goto out;
    }
    if (!(a = action_find(w[0])))
        goto out;
    if (STRPREFIX(cur, "-") && (cur[1] == '-' || cur[1] == '\0')) {
        for (int k = 0; a->args[k].name; k++) {
            if (!(a->args[k].flags & ARG_POSITIONAL)) {
                AUTOFREE char *o = xasprintf("--%s", a->args[k].name);

                cand_add(&cs, cur, o, false);
            }
        }
        cand_add(&cs, cur, "--host", false);
        goto out;
    }
    if (cur_idx >= 2 && STREQ(w[cur_idx - 1], "--host")) {
        for (int h = 0; h < model_nhosts(); h++)
            cand_add(&cs, cur, model_host_get(h)->uri, true);
        goto out;
    }
    for (int i = 1; i < cur_idx; i++) {
        if (STRPREFIX(w[i], "--")) {
            int k = action_arg_index(a, w[i] + 2);

            if (STREQ(w[i], "--host") || (k >= 0 && a->args[k].type != ARG_BOOL))
                i++;
            continue;
        }
        if (!npos++)
            first = w[i];
    }
    for (int k = 0, p = 0; a->args[k].name; k++) {
        if (!(a->args[k].flags & ARG_POSITIONAL))
            continue;
        if (p++ != npos)
            continue;
        if (a->args[k].type == ARG_DOMAIN) {
            int host = ctx ? ctx->host : -1;

            for (int h = 0; h < model_nhosts(); h++) {
                size_t n;
                struct m_dom **doms;

                if (host >= 0 && h != host)
                    continue;
                doms = model_doms(h, &n);
                for (size_t i = 0; i < n; i++)
                    cand_add(&cs, cur, doms[i]->name, true);
            }
        } else if (a->args[k].type == ARG_NETWORK) {
            for (int h = 0; h < model_nhosts(); h++) {
                size_t n;
                struct m_net **nets = model_nets(h, &n);

                for (size_t i = 0; i < n; i++)
                    cand_add(&cs, cur, nets[i]->name, true);
            }
        } else if (a->args[k].type == ARG_POOL) {
            for (int h = 0; h < model_nhosts(); h++) {
                size_t n;
                struct m_pool **pools = model_pools(h, &n);

                for (size_t i = 0; i < n; i++)
                    cand_add(&cs, cur, pools[i]->name, true);
            }
        } else if (a->args[k].type == ARG_VOLUME) {
            const struct m_pool *pl = ctx && ctx->pool ? model_pool_get(ctx->host, ctx->pool)
                                                       : NULL;

            for (int i = 0; pl && i < pl->nvols; i++)
                cand_add(&cs, cur, pl->vols[i].name, true);
        } else if (a->args[k].type == ARG_SNAPSHOT) {
            complete_snapshots(&cs, cur, ctx, first);
        } else if (a->args[k].type == ARG_ACTION) {
            for (const struct action *x = action_table(); x->name; x++)
                cand_add(&cs, cur, x->name, false);
        } else if (a->args[k].type == ARG_FILE) {
            complete_files(&cs, cur);
        }
    }
 out:
    util_strv_free(w);
    if (cs.n)
        qsort(cs.v, cs.n, sizeof(*cs.v), cmp_str);
    return cs.v;
}

