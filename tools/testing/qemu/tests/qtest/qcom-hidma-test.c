/*
 * QTest for the Qualcomm HIDMA engine model on the virt machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The model is tested on its own, without a guest: rings and buffers are
 * built in guest RAM through qtest, the engine is driven through its
 * registers, virtual time is stepped by hand, and results are read back
 * from RAM, registers, the GIC's SPI inputs and the device's QOM knobs.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnum.h"
#include "qemu/bswap.h"

/* Platform (Documentation/virtual-platform.rst) */
#define MGMT_BASE           0x0b000000ULL
#define TRCA_BASE(n)        (0x0b100000ULL + (n) * 0x1000)
#define EVCA_BASE(n)        (0x0b200000ULL + (n) * 0x1000)
#define SPI_MGMT            176
#define SPI_CHAN(n)         (177 + (n))
#define HIDMA_PATH          "/machine/hidma"
#define RAM_BASE            0x40000000ULL
/* Nothing is mapped here: every access fails. */
#define BAD_ADDR            0x00007f0000000000ULL

/* Management registers */
#define CFG                 0x400
#define CHRESET_TIMEOUT     0x418
#define MAX_BUS_REQ_LEN     0x41c
#define MAX_XACTIONS        0x420
#define HW_VERSION          0x424
#define QOS(n)              (0x700 + 4 * (n))
#define QOS_HIGH            (1u << 15)
#define QOS_WEIGHT(w)       ((uint32_t)(w) << 8)

/* Channel registers */
#define CTRLSTS             0x000
#define TR_RING_LOW         0x008
#define TR_RING_HIGH        0x00c
#define TR_RING_LEN         0x010
#define TR_CHID             0x028
#define TR_CHID_V12         0x040
#define DOORBELL            0x400
#define EV_INTCTRL          0x004
#define EV_RING_LOW         0x008
#define EV_RING_HIGH        0x00c
#define EV_RING_LEN         0x010
#define EV_WRITE_PTR        0x020
#define EV_IRQ_STAT         0x100
#define EV_IRQ_CLR          0x108
#define EV_IRQ_EN           0x110
#define EV_MSI_ADDR_LO      0x118
#define EV_MSI_ADDR_HI      0x11c
#define EV_MSI_DATA         0x120

#define CMD_DISABLE         0
#define CMD_ENABLE          1
#define CMD_SUSPEND         2
#define CMD_RESET           9
#define ST_DISABLED         0
#define ST_ENABLED          1
#define ST_RUNNING          2
#define ST_SUSPENDED        3
#define ST_STOPPED          4

#define CAUSE_EOB           0
#define CAUSE_EVENT_WR      1
#define CAUSE_TRE_RD        9
#define CAUSE_DATA_RD       10
#define CAUSE_DATA_WR       11
#define CAUSE_INVALID       14
#define CAUSES_ALL          0x4e03

#define TRE_MEMCPY          3
#define TRE_MEMSET          4
#define TRE_IEOB            (1u << 16)
#define TRE_SIZE            32
#define EVRE_SIZE           16
#define EVRE_OK             0x10000000u
#define EVRE_ERR(cause)     (0x40000000u | ((uint32_t)(cause) << 24))

#define CMD_DELAY_NS        50000
#define NCHAN               6

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static QTestState *hidma_start(const char *extra)
{
    /* no NIC: the model test needs none */
    return qtest_initf("-machine virt,gic-version=3,hidma=on "
                       "-cpu cortex-a57 -m 512M -nic none %s",
                       extra ? extra : "");
}

static uint32_t mgmt_rd(QTestState *qts, uint32_t off)
{
    return qtest_readl(qts, MGMT_BASE + off);
}

static void mgmt_wr(QTestState *qts, uint32_t off, uint32_t val)
{
    qtest_writel(qts, MGMT_BASE + off, val);
}

static uint32_t tr_rd(QTestState *qts, unsigned n, uint32_t off)
{
    return qtest_readl(qts, TRCA_BASE(n) + off);
}

static void tr_wr(QTestState *qts, unsigned n, uint32_t off, uint32_t val)
{
    qtest_writel(qts, TRCA_BASE(n) + off, val);
}

static uint32_t ev_rd(QTestState *qts, unsigned n, uint32_t off)
{
    return qtest_readl(qts, EVCA_BASE(n) + off);
}

static void ev_wr(QTestState *qts, unsigned n, uint32_t off, uint32_t val)
{
    qtest_writel(qts, EVCA_BASE(n) + off, val);
}

static unsigned state_of(QTestState *qts, uint64_t block)
{
    return (qtest_readl(qts, block + CTRLSTS) >> 8) & 0xff;
}

static void command(QTestState *qts, uint64_t block, uint32_t cmd)
{
    uint32_t v = qtest_readl(qts, block + CTRLSTS);

    v &= ~(0xffu << 16);
    qtest_writel(qts, block + CTRLSTS, v | (cmd << 16));
}

/* Poll STATE like a driver: every 10us of virtual time, up to 10ms. */
static bool wait_state(QTestState *qts, uint64_t block, unsigned want)
{
    for (int i = 0; i < 1000; i++) {
        if (state_of(qts, block) == want) {
            return true;
        }
        qtest_clock_step(qts, 10000);
    }
    return state_of(qts, block) == want;
}

static QDict *qom_get(QTestState *qts, const char *prop)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': %s, 'property': %s } }",
                           HIDMA_PATH, prop);

    g_assert(qdict_haskey(rsp, "return"));
    return rsp;
}

static uint64_t qom_u64(QTestState *qts, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
static uint64_t qom_u64(QTestState *qts, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *prop = NULL;
    QDict *rsp;
    uint64_t v;

    va_start(ap, fmt);
    prop = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    rsp = qom_get(qts, prop);
    v = qnum_get_uint(qobject_to(QNum, qdict_get(rsp, "return")));
    qobject_unref(rsp);
    return v;
}

static char *qom_str(QTestState *qts, const char *prop)
{
    QDict *rsp = qom_get(qts, prop);
    char *v = g_strdup(qdict_get_str(rsp, "return"));

    qobject_unref(rsp);
    return v;
}

static void qom_set_str(QTestState *qts, const char *prop, const char *val)
{
    qtest_qmp_assert_success(qts, "{ 'execute': 'qom-set', 'arguments': "
                             "{ 'path': %s, 'property': %s, 'value': %s } }",
                             HIDMA_PATH, prop, val);
}

static void qom_set_bool(QTestState *qts, const char *prop, bool val)
{
    qtest_qom_set_bool(qts, HIDMA_PATH, prop, val);
}

/* The GIC is not a named child of the machine: find it by type. */
static void intercept_gic(QTestState *qts)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-list', 'arguments': "
                           "{ 'path': '/machine/unattached' } }");
    QList *list = qdict_get_qlist(rsp, "return");
    g_autofree char *path = NULL;
    const QListEntry *e;

    QLIST_FOREACH_ENTRY(list, e) {
        QDict *prop = qobject_to(QDict, qlist_entry_obj(e));

        if (!strcmp(qdict_get_str(prop, "type"), "child<arm-gicv3>")) {
            path = g_strdup_printf("/machine/unattached/%s",
                                   qdict_get_str(prop, "name"));
            break;
        }
    }
    qobject_unref(rsp);
    g_assert(path);
    qtest_irq_intercept_in(qts, path);
}

/* One channel as a driver would use it, with rings in guest RAM. */
typedef struct Chan {
    QTestState *qts;
    unsigned n;
    uint64_t tre_ring;
    uint32_t tre_len;
    uint64_t ev_ring;
    uint32_t ev_len;
    uint32_t tre_wr;            /* producer offset */
    uint32_t ev_rd;             /* consumer offset */
} Chan;

static uint64_t chan_area(unsigned n)
{
    return RAM_BASE + 0x100000 * (n + 1);
}

/* Data buffers, well away from the rings */
static uint64_t buf_addr(unsigned n, unsigned i)
{
    return RAM_BASE + 0x4000000 + 0x400000 * n + 0x10000 * i;
}

static void chan_program(Chan *c)
{
    QTestState *qts = c->qts;

    tr_wr(qts, c->n, TR_RING_LOW, (uint32_t)c->tre_ring);
    tr_wr(qts, c->n, TR_RING_HIGH, c->tre_ring >> 32);
    tr_wr(qts, c->n, TR_RING_LEN, c->tre_len);
    ev_wr(qts, c->n, EV_RING_LOW, (uint32_t)c->ev_ring);
    ev_wr(qts, c->n, EV_RING_HIGH, c->ev_ring >> 32);
    ev_wr(qts, c->n, EV_RING_LEN, c->ev_len);
}

static void chan_reset(Chan *c)
{
    command(c->qts, TRCA_BASE(c->n), CMD_RESET);
    command(c->qts, EVCA_BASE(c->n), CMD_RESET);
    g_assert(wait_state(c->qts, TRCA_BASE(c->n), ST_DISABLED));
    g_assert(wait_state(c->qts, EVCA_BASE(c->n), ST_DISABLED));
    ev_wr(c->qts, c->n, EV_IRQ_CLR, 0xffffffff);
    c->tre_wr = 0;
    c->ev_rd = 0;
}

static void chan_enable(Chan *c)
{
    command(c->qts, EVCA_BASE(c->n), CMD_ENABLE);
    g_assert(wait_state(c->qts, EVCA_BASE(c->n), ST_ENABLED));
    command(c->qts, TRCA_BASE(c->n), CMD_ENABLE);
    g_assert(wait_state(c->qts, TRCA_BASE(c->n), ST_ENABLED));
}

/* The contract's set-up order; rings of tre_slots and ev_slots elements. */
static void chan_setup(Chan *c, QTestState *qts, unsigned n,
                       unsigned tre_slots, unsigned ev_slots, bool engine_on)
{
    c->qts = qts;
    c->n = n;
    c->tre_ring = chan_area(n);
    c->tre_len = tre_slots * TRE_SIZE;
    c->ev_ring = chan_area(n) + 0x80000;
    c->ev_len = ev_slots * EVRE_SIZE;

    ev_wr(qts, n, EV_IRQ_EN, 0);
    ev_wr(qts, n, EV_IRQ_CLR, 0xffffffff);
    chan_reset(c);
    chan_program(c);
    ev_wr(qts, n, EV_INTCTRL, 1);
    chan_enable(c);
    ev_wr(qts, n, EV_IRQ_EN, CAUSES_ALL);
    mgmt_wr(qts, CFG, engine_on ? 1 : 0);
}

static uint32_t chan_put(Chan *c, uint32_t type, uint32_t flags, uint32_t len,
                         uint64_t src, uint64_t dst)
{
    uint32_t tre[8] = {
        type | (c->n << 8) | flags, len,
        (uint32_t)src, src >> 32, (uint32_t)dst, dst >> 32, 0, 0,
    };
    uint32_t slot = c->tre_wr;

    for (int i = 0; i < 8; i++) {
        tre[i] = cpu_to_le32(tre[i]);
    }
    qtest_memwrite(c->qts, c->tre_ring + slot, tre, sizeof(tre));
    c->tre_wr = (c->tre_wr + TRE_SIZE) % c->tre_len;
    return slot;
}

static void chan_put_raw(Chan *c, uint32_t cfg, uint32_t len, uint64_t src,
                         uint64_t dst)
{
    uint32_t tre[8] = {
        cfg, len, (uint32_t)src, src >> 32, (uint32_t)dst, dst >> 32, 0, 0,
    };

    for (int i = 0; i < 8; i++) {
        tre[i] = cpu_to_le32(tre[i]);
    }
    qtest_memwrite(c->qts, c->tre_ring + c->tre_wr, tre, sizeof(tre));
    c->tre_wr = (c->tre_wr + TRE_SIZE) % c->tre_len;
}

static void chan_kick(Chan *c)
{
    tr_wr(c->qts, c->n, DOORBELL, c->tre_wr);
    qtest_clock_step(c->qts, 1000);
}

static uint32_t evre_word(Chan *c, uint32_t off, unsigned w)
{
    return qtest_readl(c->qts, c->ev_ring + off + 4 * w);
}

static void fill(QTestState *qts, uint64_t addr, size_t len, uint8_t seed)
{
    g_autofree uint8_t *b = g_malloc(len);

    for (size_t i = 0; i < len; i++) {
        b[i] = seed + i * 7 + (i >> 8);
    }
    qtest_memwrite(qts, addr, b, len);
}

/* Guest memory at addr holds exp: report the first byte that differs. */
static void assert_bytes(QTestState *qts, uint64_t addr, const uint8_t *exp,
                         size_t len)
{
    g_autofree uint8_t *got = g_malloc(len);

    qtest_memread(qts, addr, got, len);
    for (size_t i = 0; i < len; i++) {
        if (got[i] != exp[i]) {
            g_test_message("first difference at 0x%" PRIx64 " (byte %zu)",
                           addr + i, i);
            g_assert_cmphex(got[i], ==, exp[i]);
            return;
        }
    }
}

static void assert_same(QTestState *qts, uint64_t a, uint64_t b, size_t len)
{
    g_autofree uint8_t *x = g_malloc(len);

    qtest_memread(qts, a, x, len);
    assert_bytes(qts, b, x, len);
}

static void assert_fill(QTestState *qts, uint64_t addr, size_t len,
                        uint8_t v)
{
    g_autofree uint8_t *x = g_malloc(len);

    memset(x, v, len);
    assert_bytes(qts, addr, x, len);
}

/* ------------------------------------------------------------------ */
/* Register reset values and access rules                              */

typedef struct RevCase {
    const char *rev;
    uint32_t hw_version;
    bool v12;
    bool msi;
} RevCase;

static const RevCase rev_cases[] = {
    { "1.0", 0x10000000, false, false },
    { "1.1", 0x10010000, false, true },
    { "1.2", 0x10020000, true, true },
};

static void test_reset_values(const void *data)
{
    const RevCase *rc = data;
    g_autofree char *args = g_strdup_printf("-global qcom-hidma.revision=%s",
                                            rc->rev);
    QTestState *qts = hidma_start(args);

    g_assert_cmphex(mgmt_rd(qts, CFG), ==, 0);
    g_assert_cmphex(mgmt_rd(qts, CHRESET_TIMEOUT), ==, 0x500);
    g_assert_cmphex(mgmt_rd(qts, MAX_BUS_REQ_LEN), ==, 0x04000400);
    g_assert_cmphex(mgmt_rd(qts, MAX_XACTIONS), ==, 0x001f001f);
    g_assert_cmphex(mgmt_rd(qts, HW_VERSION), ==, rc->hw_version);
    for (unsigned n = 0; n < NCHAN; n++) {
        g_assert_cmphex(mgmt_rd(qts, QOS(n)), ==, 0x100);
    }
    /* no seventh channel; unlisted offsets read as zero */
    g_assert_cmphex(mgmt_rd(qts, QOS(NCHAN)), ==, 0);
    g_assert_cmphex(mgmt_rd(qts, 0x000), ==, 0);
    g_assert_cmphex(mgmt_rd(qts, 0x404), ==, 0);

    for (unsigned n = 0; n < NCHAN; n++) {
        g_assert_cmphex(tr_rd(qts, n, CTRLSTS), ==, 0);
        g_assert_cmphex(tr_rd(qts, n, TR_RING_LOW), ==, 0);
        g_assert_cmphex(tr_rd(qts, n, TR_RING_HIGH), ==, 0);
        g_assert_cmphex(tr_rd(qts, n, TR_RING_LEN), ==, 0);
        g_assert_cmphex(tr_rd(qts, n, TR_CHID), ==, rc->v12 ? 0 : n);
        g_assert_cmphex(tr_rd(qts, n, TR_CHID_V12), ==, rc->v12 ? n : 0);
        g_assert_cmphex(tr_rd(qts, n, DOORBELL), ==, 0);
        g_assert_cmphex(tr_rd(qts, n, 0x004), ==, 0);
        for (uint32_t off = 0; off <= 0x120; off += 4) {
            g_assert_cmphex(ev_rd(qts, n, off), ==, 0);
        }
        g_assert_cmphex(ev_rd(qts, n, DOORBELL), ==, 0);
    }

    /* MSI registers exist from 1.1 on */
    ev_wr(qts, 2, EV_MSI_ADDR_LO, 0x12345678);
    ev_wr(qts, 2, EV_MSI_ADDR_HI, 0x9abc);
    ev_wr(qts, 2, EV_MSI_DATA, 0x40);
    g_assert_cmphex(ev_rd(qts, 2, EV_MSI_ADDR_LO), ==,
                    rc->msi ? 0x12345678 : 0);
    g_assert_cmphex(ev_rd(qts, 2, EV_MSI_ADDR_HI), ==, rc->msi ? 0x9abc : 0);
    g_assert_cmphex(ev_rd(qts, 2, EV_MSI_DATA), ==, rc->msi ? 0x40 : 0);

    /* the statistics' view of the management block */
    g_assert_cmpuint(qom_u64(qts, "mgmt-cfg"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "mgmt-max-bus-req-len"), ==, 0x04000400);
    g_assert_cmpuint(qom_u64(qts, "mgmt-max-xactions"), ==, 0x001f001f);
    g_assert_cmpuint(qom_u64(qts, "mgmt-chreset-timeout"), ==, 0x500);
    g_assert_cmpuint(qom_u64(qts, "chan5-qos"), ==, 0x100);
    g_free(args);
    args = qom_str(qts, "revision");
    g_assert_cmpstr(args, ==, rc->rev);
    qtest_quit(qts);
}

static void test_default_revision(void)
{
    QTestState *qts = hidma_start(NULL);
    g_autofree char *rev = qom_str(qts, "revision");

    g_assert_cmpstr(rev, ==, "1.1");
    g_assert_cmphex(mgmt_rd(qts, HW_VERSION), ==, 0x10010000);
    g_assert_cmpuint(qom_u64(qts, "channels"), ==, NCHAN);
    qtest_quit(qts);
}

static void test_properties(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.start-enabled=on "
                                  "-global qcom-hidma.channels=2 "
                                  "-global qcom-hidma.msi-devid-base=0x200 "
                                  "-global qcom-hidma.cmd-delay-ns=1000000 "
                                  "-global qcom-hidma.bandwidth=1000000");

    g_assert_cmphex(mgmt_rd(qts, CFG), ==, 1);
    g_assert_cmpuint(qom_u64(qts, "mgmt-cfg"), ==, 1);
    g_assert_cmphex(mgmt_rd(qts, QOS(1)), ==, 0x100);
    g_assert_cmphex(mgmt_rd(qts, QOS(2)), ==, 0);
    g_assert_cmphex(tr_rd(qts, 1, TR_CHID), ==, 1);
    /* no third channel: nothing is mapped there */
    g_assert_cmphex(tr_rd(qts, 2, TR_CHID), ==, 0);

    /* cmd-delay-ns: the command completes 1ms later, not before */
    ev_wr(qts, 0, EV_RING_LOW, (uint32_t)RAM_BASE);
    ev_wr(qts, 0, EV_RING_LEN, 256);
    command(qts, EVCA_BASE(0), CMD_ENABLE);
    qtest_clock_step(qts, 999000);
    g_assert_cmphex(ev_rd(qts, 0, CTRLSTS), ==, CMD_ENABLE << 16);
    qtest_clock_step(qts, 1000);
    g_assert_cmphex(ev_rd(qts, 0, CTRLSTS), ==,
                    (CMD_ENABLE << 16) | (ST_ENABLED << 8));
    qtest_quit(qts);
}

static void test_read_only(void)
{
    QTestState *qts = hidma_start(NULL);

    mgmt_wr(qts, HW_VERSION, 0xffffffff);
    g_assert_cmphex(mgmt_rd(qts, HW_VERSION), ==, 0x10010000);
    tr_wr(qts, 3, TR_CHID, 7);
    g_assert_cmphex(tr_rd(qts, 3, TR_CHID), ==, 3);
    ev_wr(qts, 3, EV_WRITE_PTR, 0x40);
    g_assert_cmphex(ev_rd(qts, 3, EV_WRITE_PTR), ==, 0);
    ev_wr(qts, 3, EV_IRQ_STAT, 0xffffffff);
    g_assert_cmphex(ev_rd(qts, 3, EV_IRQ_STAT), ==, 0);
    /* STATE is read only; COMMAND reads back what was written */
    tr_wr(qts, 3, CTRLSTS, 0x0000ff00);
    g_assert_cmphex(tr_rd(qts, 3, CTRLSTS), ==, 0);
    /* unlisted offsets ignore writes */
    tr_wr(qts, 3, 0x004, 0xffffffff);
    g_assert_cmphex(tr_rd(qts, 3, 0x004), ==, 0);
    mgmt_wr(qts, 0x404, 0xffffffff);
    g_assert_cmphex(mgmt_rd(qts, 0x404), ==, 0);
    qtest_quit(qts);
}

static void test_registers_rw(void)
{
    QTestState *qts = hidma_start(NULL);

    mgmt_wr(qts, CHRESET_TIMEOUT, 0xfff12345);
    g_assert_cmphex(mgmt_rd(qts, CHRESET_TIMEOUT), ==, 0x12345);
    g_assert_cmpuint(qom_u64(qts, "mgmt-chreset-timeout"), ==, 0x12345);
    mgmt_wr(qts, MAX_BUS_REQ_LEN, 0x00800100);
    g_assert_cmphex(mgmt_rd(qts, MAX_BUS_REQ_LEN), ==, 0x00800100);
    /* illegal values are stored as written (and logged) */
    mgmt_wr(qts, MAX_BUS_REQ_LEN, 0x00030005);
    g_assert_cmphex(mgmt_rd(qts, MAX_BUS_REQ_LEN), ==, 0x00030005);
    g_assert_cmpuint(qom_u64(qts, "mgmt-max-bus-req-len"), ==, 0x00030005);
    mgmt_wr(qts, MAX_XACTIONS, 0xffffffff);
    g_assert_cmphex(mgmt_rd(qts, MAX_XACTIONS), ==, 0x001f001f);
    mgmt_wr(qts, MAX_XACTIONS, 0x00070003);
    g_assert_cmphex(mgmt_rd(qts, MAX_XACTIONS), ==, 0x00070003);
    g_assert_cmpuint(qom_u64(qts, "mgmt-max-xactions"), ==, 0x00070003);
    mgmt_wr(qts, QOS(4), 0xffffffff);
    g_assert_cmphex(mgmt_rd(qts, QOS(4)), ==, 0xff00);
    mgmt_wr(qts, QOS(4), QOS_HIGH | QOS_WEIGHT(9));
    g_assert_cmphex(mgmt_rd(qts, QOS(4)), ==, 0x8900);
    g_assert_cmpuint(qom_u64(qts, "chan4-qos"), ==, 0x8900);
    mgmt_wr(qts, CFG, 0xffffffff);
    g_assert_cmphex(mgmt_rd(qts, CFG), ==, 1);

    tr_wr(qts, 1, TR_RING_LOW, 0xdeadbee0);
    tr_wr(qts, 1, TR_RING_HIGH, 0x12);
    tr_wr(qts, 1, TR_RING_LEN, 0x1000);
    g_assert_cmphex(tr_rd(qts, 1, TR_RING_LOW), ==, 0xdeadbee0);
    g_assert_cmphex(tr_rd(qts, 1, TR_RING_HIGH), ==, 0x12);
    g_assert_cmphex(tr_rd(qts, 1, TR_RING_LEN), ==, 0x1000);
    tr_wr(qts, 1, DOORBELL, 0x40);
    g_assert_cmphex(tr_rd(qts, 1, DOORBELL), ==, 0x40);
    ev_wr(qts, 1, EV_RING_LOW, 0xcafe0);
    ev_wr(qts, 1, EV_RING_HIGH, 0x3);
    ev_wr(qts, 1, EV_RING_LEN, 0x800);
    g_assert_cmphex(ev_rd(qts, 1, EV_RING_LOW), ==, 0xcafe0);
    g_assert_cmphex(ev_rd(qts, 1, EV_RING_HIGH), ==, 0x3);
    g_assert_cmphex(ev_rd(qts, 1, EV_RING_LEN), ==, 0x800);
    ev_wr(qts, 1, DOORBELL, 0x7f0);
    g_assert_cmphex(ev_rd(qts, 1, DOORBELL), ==, 0x7f0);
    ev_wr(qts, 1, EV_INTCTRL, 1);
    g_assert_cmphex(ev_rd(qts, 1, EV_INTCTRL), ==, 1);
    ev_wr(qts, 1, EV_IRQ_EN, 0xffffffff);
    g_assert_cmphex(ev_rd(qts, 1, EV_IRQ_EN), ==, CAUSES_ALL);
    g_assert_cmphex(ev_rd(qts, 1, EV_IRQ_CLR), ==, 0);
    qtest_quit(qts);
}

/* QMP system_reset brings every register back to its reset value. */
static void test_device_reset(void)
{
    QTestState *qts = hidma_start(NULL);
    Chan c;

    chan_setup(&c, qts, 0, 8, 8, true);
    mgmt_wr(qts, QOS(0), QOS_WEIGHT(5));
    mgmt_wr(qts, MAX_XACTIONS, 0x00010001);
    chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0, buf_addr(0, 0));
    chan_kick(&c);
    g_assert_cmphex(ev_rd(qts, 0, EV_IRQ_STAT), ==, 1);

    qtest_qmp_assert_success(qts, "{ 'execute': 'system_reset' }");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_cmphex(mgmt_rd(qts, CFG), ==, 0);
    g_assert_cmphex(mgmt_rd(qts, QOS(0)), ==, 0x100);
    g_assert_cmphex(mgmt_rd(qts, MAX_XACTIONS), ==, 0x001f001f);
    g_assert_cmphex(tr_rd(qts, 0, CTRLSTS), ==, 0);
    g_assert_cmphex(tr_rd(qts, 0, TR_RING_LEN), ==, 0);
    g_assert_cmphex(tr_rd(qts, 0, DOORBELL), ==, 0);
    g_assert_cmphex(ev_rd(qts, 0, CTRLSTS), ==, 0);
    g_assert_cmphex(ev_rd(qts, 0, EV_INTCTRL), ==, 0);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 0);
    g_assert_cmphex(ev_rd(qts, 0, EV_IRQ_STAT), ==, 0);
    g_assert_cmphex(ev_rd(qts, 0, EV_IRQ_EN), ==, 0);
    /* statistics belong to the host and survive */
    g_assert_cmpuint(qom_u64(qts, "chan0-tres"), ==, 1);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Transfers                                                           */

static void test_memcpy(void)
{
    QTestState *qts = hidma_start(NULL);
    const uint32_t len = 4096 + 17;
    uint64_t src = buf_addr(5, 0) + 3, dst = buf_addr(5, 1) + 5;
    Chan c;

    chan_setup(&c, qts, 5, 16, 16, true);
    fill(qts, src, len, 0x5a);
    qtest_memset(qts, dst - 5, 0xee, len + 16);
    chan_put(&c, TRE_MEMCPY, TRE_IEOB, len, src, dst);
    chan_kick(&c);

    assert_same(qts, src, dst, len);
    assert_fill(qts, dst - 5, 5, 0xee);
    assert_fill(qts, dst + len, 11, 0xee);
    g_assert_cmphex(evre_word(&c, 0, 0), ==, EVRE_OK);
    g_assert_cmphex(evre_word(&c, 0, 1), ==, 0);
    g_assert_cmphex(evre_word(&c, 0, 2), ==, 0);
    g_assert_cmphex(evre_word(&c, 0, 3), ==, 0);
    g_assert_cmphex(ev_rd(qts, 5, EV_WRITE_PTR), ==, EVRE_SIZE);
    g_assert_cmphex(ev_rd(qts, 5, EV_IRQ_STAT), ==, 1u << CAUSE_EOB);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(5)), ==, ST_ENABLED);
    g_assert_cmpuint(qom_u64(qts, "chan5-bytes"), ==, len);
    g_assert_cmpuint(qom_u64(qts, "chan5-tres"), ==, 1);
    g_assert_cmpuint(qom_u64(qts, "chan5-errors"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan5-doorbells"), ==, 1);
    qtest_quit(qts);
}

static void test_memset(void)
{
    QTestState *qts = hidma_start(NULL);
    const uint64_t pattern = 0x1122334455667788ULL;
    uint64_t dst = buf_addr(0, 0) + 3;
    uint8_t exp[2061];
    Chan c;

    chan_setup(&c, qts, 0, 8, 8, true);
    qtest_memset(qts, dst - 3, 0xee, sizeof(exp) + 16);
    /* 2061 bytes: three bursts, the last one partial */
    chan_put(&c, TRE_MEMSET, 0, 2061, pattern, dst);
    /* existing software: one byte replicated */
    chan_put(&c, TRE_MEMSET, TRE_IEOB, 100, 0xa5a5a5a5a5a5a5a5ULL,
             buf_addr(0, 1));
    chan_kick(&c);

    /* byte k gets byte k mod 8 of the little-endian pattern */
    for (unsigned k = 0; k < sizeof(exp); k++) {
        exp[k] = pattern >> (8 * (k % 8));
    }
    assert_bytes(qts, dst, exp, sizeof(exp));
    assert_fill(qts, dst - 3, 3, 0xee);
    assert_fill(qts, dst + 2061, 8, 0xee);
    assert_fill(qts, buf_addr(0, 1), 100, 0xa5);
    g_assert_cmphex(evre_word(&c, 0, 0), ==, EVRE_OK);
    g_assert_cmphex(evre_word(&c, 16, 0), ==, EVRE_OK);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 32);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 2161);
    qtest_quit(qts);
}

/* EOB only for TREs with IEOB; IRQ_EN/IRQ_CLR; the wired line. */
static void test_irq_wired(void)
{
    QTestState *qts = hidma_start(NULL);
    Chan c;

    intercept_gic(qts);
    chan_setup(&c, qts, 2, 8, 8, true);
    ev_wr(qts, 2, EV_IRQ_EN, 1u << CAUSE_EOB);
    g_assert_false(qtest_get_irq(qts, SPI_CHAN(2)));

    chan_put(&c, TRE_MEMSET, 0, 64, 0, buf_addr(2, 0));
    chan_kick(&c);
    g_assert_cmphex(ev_rd(qts, 2, EV_WRITE_PTR), ==, 16);
    g_assert_cmphex(ev_rd(qts, 2, EV_IRQ_STAT), ==, 0);
    g_assert_false(qtest_get_irq(qts, SPI_CHAN(2)));

    chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0, buf_addr(2, 0));
    chan_kick(&c);
    g_assert_cmphex(ev_rd(qts, 2, EV_IRQ_STAT), ==, 1);
    g_assert_true(qtest_get_irq(qts, SPI_CHAN(2)));
    for (unsigned n = 0; n < NCHAN; n++) {
        if (n != 2) {
            g_assert_false(qtest_get_irq(qts, SPI_CHAN(n)));
        }
    }
    g_assert_false(qtest_get_irq(qts, SPI_MGMT));

    /* masking lowers the line, the cause stays pending */
    ev_wr(qts, 2, EV_IRQ_EN, 0);
    g_assert_false(qtest_get_irq(qts, SPI_CHAN(2)));
    g_assert_cmphex(ev_rd(qts, 2, EV_IRQ_STAT), ==, 1);
    ev_wr(qts, 2, EV_IRQ_EN, 1);
    g_assert_true(qtest_get_irq(qts, SPI_CHAN(2)));
    /* clearing another cause changes nothing; clearing EOB lowers it */
    ev_wr(qts, 2, EV_IRQ_CLR, 1u << CAUSE_DATA_RD);
    g_assert_true(qtest_get_irq(qts, SPI_CHAN(2)));
    ev_wr(qts, 2, EV_IRQ_CLR, 1u << CAUSE_EOB);
    g_assert_cmphex(ev_rd(qts, 2, EV_IRQ_STAT), ==, 0);
    g_assert_false(qtest_get_irq(qts, SPI_CHAN(2)));

    /* MSI mode (1.1): the wired line stays low */
    ev_wr(qts, 2, EV_INTCTRL, 0);
    chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0, buf_addr(2, 0));
    chan_kick(&c);
    g_assert_cmphex(ev_rd(qts, 2, EV_IRQ_STAT), ==, 1);
    g_assert_false(qtest_get_irq(qts, SPI_CHAN(2)));
    ev_wr(qts, 2, EV_INTCTRL, 1);
    g_assert_true(qtest_get_irq(qts, SPI_CHAN(2)));
    qtest_quit(qts);
}

/* Revision 1.0 has no MSI: the wired line whatever INTCTRL says. */
static void test_irq_wired_rev10(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.revision=1.0");
    Chan c;

    intercept_gic(qts);
    chan_setup(&c, qts, 0, 8, 8, true);
    ev_wr(qts, 0, EV_INTCTRL, 0);
    ev_wr(qts, 0, EV_MSI_ADDR_LO, (uint32_t)(RAM_BASE + 0x30000));
    qtest_writel(qts, RAM_BASE + 0x30000, 0xdeadbeef);
    chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0, buf_addr(0, 0));
    chan_kick(&c);
    g_assert_true(qtest_get_irq(qts, SPI_CHAN(0)));
    g_assert_cmphex(qtest_readl(qts, RAM_BASE + 0x30000), ==, 0xdeadbeef);
    qtest_quit(qts);
}

static void test_msi(const void *data)
{
    const RevCase *rc = data;
    g_autofree char *args = g_strdup_printf("-global qcom-hidma.revision=%s",
                                            rc->rev);
    QTestState *qts = hidma_start(args);
    const uint64_t msi = RAM_BASE + 0x30000;
    Chan c;

    intercept_gic(qts);
    chan_setup(&c, qts, 1, 8, 8, true);
    ev_wr(qts, 1, EV_INTCTRL, 0);
    ev_wr(qts, 1, EV_MSI_ADDR_LO, (uint32_t)msi);
    ev_wr(qts, 1, EV_MSI_ADDR_HI, msi >> 32);
    ev_wr(qts, 1, EV_MSI_DATA, 0x40);
    qtest_writel(qts, msi, 0);
    ev_wr(qts, 1, EV_IRQ_EN, CAUSES_ALL);

    /* EOB: payload MSI_DATA + 0 */
    chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0, buf_addr(1, 0));
    chan_kick(&c);
    g_assert_cmphex(qtest_readl(qts, msi), ==, 0x40);
    g_assert_false(qtest_get_irq(qts, SPI_CHAN(1)));

    /* raised again while still pending: another MSI */
    qtest_writel(qts, msi, 0);
    chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0, buf_addr(1, 0));
    chan_kick(&c);
    g_assert_cmphex(qtest_readl(qts, msi), ==, 0x40);

    /* a cause not enabled sends nothing */
    ev_wr(qts, 1, EV_IRQ_EN, CAUSES_ALL & ~1u);
    qtest_writel(qts, msi, 0);
    chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0, buf_addr(1, 0));
    chan_kick(&c);
    g_assert_cmphex(qtest_readl(qts, msi), ==, 0);

    /* invalid TRE: MSI_DATA + 14, to the new address */
    ev_wr(qts, 1, EV_MSI_ADDR_LO, (uint32_t)msi + 0x100);
    qtest_writel(qts, msi + 0x100, 0);
    chan_put(&c, 7, 0, 64, 0, buf_addr(1, 0));
    chan_kick(&c);
    g_assert_cmphex(qtest_readl(qts, msi + 0x100), ==, 0x40 + CAUSE_INVALID);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(1)), ==, ST_STOPPED);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* State machine                                                       */

static void test_state_machine(void)
{
    QTestState *qts = hidma_start(NULL);
    Chan c = { .qts = qts, .n = 0 };

    /* commands take cmd-delay-ns */
    c.tre_ring = chan_area(0);
    c.tre_len = 8 * TRE_SIZE;
    c.ev_ring = chan_area(0) + 0x80000;
    c.ev_len = 8 * EVRE_SIZE;
    chan_program(&c);
    ev_wr(qts, 0, EV_INTCTRL, 1);
    command(qts, EVCA_BASE(0), CMD_ENABLE);
    g_assert_cmphex(ev_rd(qts, 0, CTRLSTS), ==, 1 << 16);
    qtest_clock_step(qts, CMD_DELAY_NS - 1);
    g_assert_cmpuint(state_of(qts, EVCA_BASE(0)), ==, ST_DISABLED);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(ev_rd(qts, 0, CTRLSTS), ==, (1 << 16) | (ST_ENABLED << 8));
    command(qts, TRCA_BASE(0), CMD_ENABLE);
    g_assert(wait_state(qts, TRCA_BASE(0), ST_ENABLED));

    /* engine off: work makes the channel RUNNING, nothing moves */
    chan_put(&c, TRE_MEMSET, 0, 64, 0x1111111111111111ULL, buf_addr(0, 0));
    qtest_memset(qts, buf_addr(0, 0), 0, 64);
    chan_kick(&c);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_RUNNING);
    assert_fill(qts, buf_addr(0, 0), 64, 0);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 0);
    /* CFG.ENABLE gates all progress */
    mgmt_wr(qts, CFG, 1);
    qtest_clock_step(qts, 1000);
    assert_fill(qts, buf_addr(0, 0), 64, 0x11);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_ENABLED);

    /* SUSPEND: queued work waits; ENABLE resumes with the next TRE */
    command(qts, TRCA_BASE(0), CMD_SUSPEND);
    g_assert(wait_state(qts, TRCA_BASE(0), ST_SUSPENDED));
    chan_put(&c, TRE_MEMSET, 0, 64, 0x2222222222222222ULL, buf_addr(0, 1));
    chan_put(&c, TRE_MEMSET, 0, 64, 0x3333333333333333ULL, buf_addr(0, 2));
    chan_kick(&c);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_SUSPENDED);
    g_assert_cmphex(qtest_readl(qts, buf_addr(0, 1)), !=, 0x22222222);
    command(qts, TRCA_BASE(0), CMD_ENABLE);
    g_assert(wait_state(qts, TRCA_BASE(0), ST_ENABLED));
    assert_fill(qts, buf_addr(0, 1), 64, 0x22);
    assert_fill(qts, buf_addr(0, 2), 64, 0x33);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 48);

    /* an event-channel SUSPEND also holds the transfer channel */
    command(qts, EVCA_BASE(0), CMD_SUSPEND);
    g_assert(wait_state(qts, EVCA_BASE(0), ST_SUSPENDED));
    chan_put(&c, TRE_MEMSET, 0, 64, 0x4444444444444444ULL, buf_addr(0, 3));
    chan_kick(&c);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_RUNNING);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 48);
    command(qts, EVCA_BASE(0), CMD_ENABLE);
    g_assert(wait_state(qts, TRCA_BASE(0), ST_ENABLED));
    assert_fill(qts, buf_addr(0, 3), 64, 0x44);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 64);

    /* DISABLE keeps the offsets: ENABLE goes on where it stopped */
    command(qts, TRCA_BASE(0), CMD_DISABLE);
    g_assert(wait_state(qts, TRCA_BASE(0), ST_DISABLED));
    chan_put(&c, TRE_MEMSET, 0, 64, 0x5555555555555555ULL, buf_addr(0, 4));
    chan_kick(&c);
    qtest_clock_step(qts, 1000000);
    g_assert_cmphex(qtest_readl(qts, buf_addr(0, 4)), !=, 0x55555555);
    command(qts, TRCA_BASE(0), CMD_ENABLE);
    g_assert(wait_state(qts, TRCA_BASE(0), ST_ENABLED));
    assert_fill(qts, buf_addr(0, 4), 64, 0x55);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 80);

    /* unknown commands change nothing */
    tr_wr(qts, 0, CTRLSTS, 5 << 16);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_ENABLED);

    /* RESET: drops queued work, zeroes offsets, keeps ring registers */
    mgmt_wr(qts, CFG, 0);
    chan_put(&c, TRE_MEMSET, 0, 64, 0x6666666666666666ULL, buf_addr(0, 5));
    chan_kick(&c);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_RUNNING);
    command(qts, TRCA_BASE(0), CMD_RESET);
    command(qts, EVCA_BASE(0), CMD_RESET);
    g_assert(wait_state(qts, TRCA_BASE(0), ST_DISABLED));
    g_assert(wait_state(qts, EVCA_BASE(0), ST_DISABLED));
    g_assert_cmphex(tr_rd(qts, 0, DOORBELL), ==, 0);
    g_assert_cmphex(ev_rd(qts, 0, DOORBELL), ==, 0);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 0);
    g_assert_cmphex(tr_rd(qts, 0, TR_RING_LOW), ==, (uint32_t)c.tre_ring);
    g_assert_cmphex(tr_rd(qts, 0, TR_RING_LEN), ==, c.tre_len);
    g_assert_cmphex(ev_rd(qts, 0, EV_RING_LOW), ==, (uint32_t)c.ev_ring);
    g_assert_cmphex(ev_rd(qts, 0, EV_RING_LEN), ==, c.ev_len);
    mgmt_wr(qts, CFG, 1);
    qtest_clock_step(qts, 1000000);
    g_assert_cmphex(qtest_readl(qts, buf_addr(0, 5)), !=, 0x66666666);

    /* after RESET the ring starts again at offset 0 */
    c.tre_wr = 0;
    chan_enable(&c);
    chan_put(&c, TRE_MEMSET, 0, 64, 0x7777777777777777ULL, buf_addr(0, 6));
    chan_kick(&c);
    assert_fill(qts, buf_addr(0, 6), 64, 0x77);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 16);
    g_assert_cmpuint(qom_u64(qts, "chan0-tres"), ==, 6);
    qtest_quit(qts);
}

typedef struct EnableCase {
    const char *name;
    uint64_t tre_ring;
    uint32_t tre_len;
    uint64_t ev_ring;
    uint32_t ev_len;
    unsigned tr_state, ev_state;
} EnableCase;

static const EnableCase enable_cases[] = {
    { "good", 0x40100000, 256, 0x40180000, 128, ST_ENABLED, ST_ENABLED },
    { "zero-length", 0x40100000, 0, 0x40180000, 0, ST_DISABLED, ST_DISABLED },
    { "partial-element", 0x40100000, 48, 0x40180000, 24,
      ST_DISABLED, ST_DISABLED },
    { "misaligned-base", 0x40100010, 256, 0x40180008, 128,
      ST_DISABLED, ST_DISABLED },
};

static void test_enable_validation(const void *data)
{
    const EnableCase *ec = data;
    QTestState *qts = hidma_start(NULL);

    tr_wr(qts, 0, TR_RING_LOW, ec->tre_ring);
    tr_wr(qts, 0, TR_RING_LEN, ec->tre_len);
    ev_wr(qts, 0, EV_RING_LOW, ec->ev_ring);
    ev_wr(qts, 0, EV_RING_LEN, ec->ev_len);
    command(qts, EVCA_BASE(0), CMD_ENABLE);
    command(qts, TRCA_BASE(0), CMD_ENABLE);
    qtest_clock_step(qts, 10 * CMD_DELAY_NS);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ec->tr_state);
    g_assert_cmpuint(state_of(qts, EVCA_BASE(0)), ==, ec->ev_state);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

typedef enum ErrHow {
    ERR_TRE_READ,
    ERR_DATA_READ,
    ERR_DATA_WRITE,
    ERR_EVENT_WRITE,
    ERR_BAD_TYPE,
    ERR_ZERO_LENGTH,
    ERR_CHID,
    ERR_SRC_WRAPS,
    ERR_KNOB_DATA_READ,
    ERR_KNOB_DATA_WRITE,
    ERR_KNOB_EVENT_WRITE,
} ErrHow;

typedef struct ErrCase {
    const char *name;
    ErrHow how;
    unsigned cause;
    bool evre;          /* an error EVRE is written */
} ErrCase;

static const ErrCase err_cases[] = {
    { "tre-read", ERR_TRE_READ, CAUSE_TRE_RD, true },
    { "data-read", ERR_DATA_READ, CAUSE_DATA_RD, true },
    { "data-write", ERR_DATA_WRITE, CAUSE_DATA_WR, true },
    { "event-write", ERR_EVENT_WRITE, CAUSE_EVENT_WR, false },
    { "invalid-type", ERR_BAD_TYPE, CAUSE_INVALID, true },
    { "invalid-zero-length", ERR_ZERO_LENGTH, CAUSE_INVALID, true },
    { "invalid-chid", ERR_CHID, CAUSE_INVALID, true },
    { "source-wraps", ERR_SRC_WRAPS, CAUSE_DATA_RD, true },
    { "knob-data-read", ERR_KNOB_DATA_READ, CAUSE_DATA_RD, true },
    { "knob-data-write", ERR_KNOB_DATA_WRITE, CAUSE_DATA_WR, true },
    { "knob-event-write", ERR_KNOB_EVENT_WRITE, CAUSE_EVENT_WR, false },
};

static void test_error(const void *data)
{
    const ErrCase *ec = data;
    QTestState *qts = hidma_start(NULL);
    uint64_t src = buf_addr(3, 0), dst = buf_addr(3, 1);
    const char *knob = NULL;
    g_autofree char *after = NULL;
    Chan c;

    intercept_gic(qts);
    c.qts = qts;
    c.n = 3;
    chan_setup(&c, qts, 3, 8, 8, true);
    fill(qts, src, 256, 1);
    qtest_memset(qts, dst, 0, 256);

    /* one good TRE first: errors do not undo earlier work */
    chan_put(&c, TRE_MEMCPY, TRE_IEOB, 256, src, dst);
    chan_kick(&c);
    g_assert_cmphex(evre_word(&c, 0, 0), ==, EVRE_OK);
    ev_wr(qts, 3, EV_IRQ_CLR, 0xffffffff);

    switch (ec->how) {
    case ERR_TRE_READ:
    case ERR_EVENT_WRITE:
        /* rings may point anywhere aligned: reprogram after a reset */
        chan_reset(&c);
        if (ec->how == ERR_TRE_READ) {
            c.tre_ring = BAD_ADDR;
        } else {
            c.ev_ring = BAD_ADDR;
        }
        chan_program(&c);
        chan_enable(&c);
        chan_put(&c, TRE_MEMCPY, TRE_IEOB, 256, src, dst + 256);
        break;
    case ERR_DATA_READ:
        chan_put(&c, TRE_MEMCPY, TRE_IEOB, 256, BAD_ADDR, dst);
        break;
    case ERR_DATA_WRITE:
        chan_put(&c, TRE_MEMCPY, TRE_IEOB, 256, src, BAD_ADDR);
        break;
    case ERR_BAD_TYPE:
        chan_put(&c, 5, TRE_IEOB, 256, src, dst);
        break;
    case ERR_ZERO_LENGTH:
        chan_put(&c, TRE_MEMCPY, TRE_IEOB, 0, src, dst);
        break;
    case ERR_CHID:
        chan_put_raw(&c, TRE_MEMCPY | (2 << 8) | TRE_IEOB, 256, src, dst);
        break;
    case ERR_SRC_WRAPS:
        chan_put(&c, TRE_MEMCPY, TRE_IEOB, 0x1000, 0xffffffffffffff00ULL,
                 dst);
        break;
    case ERR_KNOB_DATA_READ:
        knob = "data-read";
        break;
    case ERR_KNOB_DATA_WRITE:
        knob = "data-write";
        break;
    case ERR_KNOB_EVENT_WRITE:
        knob = "event-write";
        break;
    }
    if (knob) {
        qom_set_str(qts, "chan3-fault", knob);
        after = qom_str(qts, "chan3-fault");
        g_assert_cmpstr(after, ==, knob);
        g_free(after);
        chan_put(&c, TRE_MEMCPY, TRE_IEOB, 256, src, dst + 256);
    }
    chan_kick(&c);

    g_assert_cmpuint(state_of(qts, TRCA_BASE(3)), ==, ST_STOPPED);
    g_assert_cmphex(ev_rd(qts, 3, EV_IRQ_STAT) & (1u << ec->cause), ==,
                    1u << ec->cause);
    /* no EOB for a failed TRE */
    g_assert_cmphex(ev_rd(qts, 3, EV_IRQ_STAT) & 1, ==, 0);
    g_assert_true(qtest_get_irq(qts, SPI_CHAN(3)));
    if (ec->evre) {
        uint32_t at = (ec->how == ERR_TRE_READ) ? 0 : EVRE_SIZE;

        g_assert_cmphex(evre_word(&c, at, 0), ==, EVRE_ERR(ec->cause));
        g_assert_cmphex(ev_rd(qts, 3, EV_WRITE_PTR), ==, at + EVRE_SIZE);
    } else {
        /* the event could not be written: WRITE_PTR stays */
        uint32_t at = (ec->how == ERR_EVENT_WRITE) ? 0 : EVRE_SIZE;

        g_assert_cmphex(ev_rd(qts, 3, EV_WRITE_PTR), ==, at);
        /* ... but the data had been moved */
        assert_same(qts, src, dst + 256, 256);
    }
    if (knob) {
        after = qom_str(qts, "chan3-fault");
        g_assert_cmpstr(after, ==, "none");
    }
    /* chanN-tres counts TREs whose event was written */
    g_assert_cmpuint(qom_u64(qts, "chan3-tres"), ==, ec->evre ? 2 : 1);
    g_assert_cmpuint(qom_u64(qts, "chan3-errors"), ==, 1);
    g_assert_cmpuint(qom_u64(qts, "chan3-bytes"), ==, 256);

    /* STOPPED: ENABLE does not leave it, more doorbells do nothing */
    command(qts, TRCA_BASE(3), CMD_ENABLE);
    qtest_clock_step(qts, 10 * CMD_DELAY_NS);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(3)), ==, ST_STOPPED);
    chan_put(&c, TRE_MEMSET, 0, 64, 0x9999999999999999ULL, buf_addr(3, 3));
    chan_kick(&c);
    qtest_clock_step(qts, 1000000);
    g_assert_cmphex(qtest_readl(qts, buf_addr(3, 3)), !=, 0x99999999);

    /* RESET and set-up again: the channel works (the knob was one shot) */
    c.tre_ring = chan_area(3);
    c.ev_ring = chan_area(3) + 0x80000;
    chan_setup(&c, qts, 3, 8, 8, true);
    g_assert_false(qtest_get_irq(qts, SPI_CHAN(3)));
    chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0x9999999999999999ULL,
             buf_addr(3, 3));
    chan_kick(&c);
    assert_fill(qts, buf_addr(3, 3), 64, 0x99);
    g_assert_cmphex(evre_word(&c, 0, 0), ==, EVRE_OK);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(3)), ==, ST_ENABLED);
    qtest_quit(qts);
}

static void test_fault_knob_values(void)
{
    QTestState *qts = hidma_start(NULL);
    g_autofree char *v = qom_str(qts, "chan0-fault");
    QDict *rsp;

    g_assert_cmpstr(v, ==, "none");
    rsp = qtest_qmp(qts, "{ 'execute': 'qom-set', 'arguments': "
                    "{ 'path': %s, 'property': 'chan0-fault', "
                    "'value': 'bogus' } }", HIDMA_PATH);
    g_assert(qdict_haskey(rsp, "error"));
    qobject_unref(rsp);
    g_free(v);
    v = qom_str(qts, "chan0-fault");
    g_assert_cmpstr(v, ==, "none");
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Rings                                                               */

/* Both rings wrap, events land in order, one per TRE. */
static void test_ring_wrap(void)
{
    QTestState *qts = hidma_start(NULL);
    Chan c;
    unsigned done = 0;

    chan_setup(&c, qts, 4, 4, 3, true);
    for (unsigned batch = 0; batch < 5; batch++) {
        unsigned count = (batch % 2) ? 1 : 2;

        for (unsigned i = 0; i < count; i++) {
            unsigned id = done + i;

            chan_put(&c, TRE_MEMSET, TRE_IEOB, 32, 0x0101010101010101ULL * id,
                     buf_addr(4, 0) + 32 * id);
        }
        chan_kick(&c);
        for (unsigned i = 0; i < count; i++) {
            unsigned id = done + i;

            assert_fill(qts, buf_addr(4, 0) + 32 * id, 32, id);
            g_assert_cmphex(evre_word(&c, c.ev_rd, 0), ==, EVRE_OK);
            /* consume it: clobber, then tell the hardware */
            qtest_writel(qts, c.ev_ring + c.ev_rd, 0);
            c.ev_rd = (c.ev_rd + EVRE_SIZE) % c.ev_len;
        }
        done += count;
        g_assert_cmphex(ev_rd(qts, 4, EV_WRITE_PTR), ==, c.ev_rd);
        ev_wr(qts, 4, DOORBELL, c.ev_rd);
        g_assert_cmphex(tr_rd(qts, 4, DOORBELL), ==, c.tre_wr);
    }
    g_assert_cmpuint(done, ==, 8);
    /* 8 TREs in a 4-slot ring, 8 events in a 3-slot ring: both wrapped */
    g_assert_cmphex(c.tre_wr, ==, 0);
    g_assert_cmphex(ev_rd(qts, 4, EV_WRITE_PTR), ==, (8 * EVRE_SIZE) % 48);
    g_assert_cmpuint(qom_u64(qts, "chan4-tres"), ==, 8);
    qtest_quit(qts);
}

/* A full event ring stalls the channel until the event DOORBELL moves. */
static void test_event_ring_full(void)
{
    QTestState *qts = hidma_start(NULL);
    Chan c;

    chan_setup(&c, qts, 0, 8, 4, true);
    for (unsigned i = 0; i < 5; i++) {
        chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0x0101010101010101ULL * (i + 1),
                 buf_addr(0, i));
    }
    qtest_memset(qts, buf_addr(0, 4), 0, 64);
    chan_kick(&c);
    qtest_clock_step(qts, 1000000);

    /* 3 events fit in a 4-slot ring; the 4th TRE's data is done */
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 48);
    g_assert_cmphex(evre_word(&c, 48, 0), ==, 0);
    assert_fill(qts, buf_addr(0, 3), 64, 4);
    assert_fill(qts, buf_addr(0, 4), 64, 0);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_RUNNING);
    g_assert_cmpuint(qom_u64(qts, "chan0-tres"), ==, 3);

    /* consume two events: the rest completes, WRITE_PTR wraps */
    ev_wr(qts, 0, DOORBELL, 32);
    qtest_clock_step(qts, 1000);
    g_assert_cmphex(ev_rd(qts, 0, EV_WRITE_PTR), ==, 16);
    g_assert_cmphex(evre_word(&c, 48, 0), ==, EVRE_OK);
    g_assert_cmphex(evre_word(&c, 0, 0), ==, EVRE_OK);
    assert_fill(qts, buf_addr(0, 4), 64, 5);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_ENABLED);
    g_assert_cmpuint(qom_u64(qts, "chan0-tres"), ==, 5);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Knobs and statistics                                                */

static void test_reset_hang(void)
{
    QTestState *qts = hidma_start(NULL);
    Chan c;

    chan_setup(&c, qts, 1, 8, 8, true);
    g_assert_false(qtest_qom_get_bool(qts, HIDMA_PATH, "chan1-reset-hang"));
    qom_set_bool(qts, "chan1-reset-hang", true);
    g_assert_true(qtest_qom_get_bool(qts, HIDMA_PATH, "chan1-reset-hang"));

    command(qts, TRCA_BASE(1), CMD_RESET);
    command(qts, EVCA_BASE(1), CMD_RESET);
    g_assert_false(wait_state(qts, TRCA_BASE(1), ST_DISABLED));
    g_assert_cmpuint(state_of(qts, EVCA_BASE(1)), !=, ST_DISABLED);
    /* the channel does no work meanwhile */
    chan_put(&c, TRE_MEMSET, 0, 64, 0x1212121212121212ULL, buf_addr(1, 0));
    qtest_memset(qts, buf_addr(1, 0), 0, 64);
    chan_kick(&c);
    qtest_clock_step(qts, 1000000);
    assert_fill(qts, buf_addr(1, 0), 64, 0);
    /* other channels are unaffected */
    g_assert(!qtest_qom_get_bool(qts, HIDMA_PATH, "chan0-reset-hang"));

    qom_set_bool(qts, "chan1-reset-hang", false);
    command(qts, TRCA_BASE(1), CMD_RESET);
    command(qts, EVCA_BASE(1), CMD_RESET);
    g_assert(wait_state(qts, TRCA_BASE(1), ST_DISABLED));
    g_assert(wait_state(qts, EVCA_BASE(1), ST_DISABLED));
    qtest_quit(qts);
}

static void test_statistics(void)
{
    /* 1 KiB per millisecond (1024000 bytes/s) */
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    uint64_t busy;
    Chan c;

    chan_setup(&c, qts, 2, 16, 16, true);
    g_assert_cmpuint(qom_u64(qts, "chan2-busy-ns"), ==, 0);
    for (unsigned i = 0; i < 8; i++) {
        chan_put(&c, TRE_MEMSET, 0, 1024, 0, buf_addr(2, 0));
    }
    /* a rejected doorbell still counts as a doorbell write */
    tr_wr(qts, 2, DOORBELL, 8);
    chan_kick(&c);
    qtest_clock_step(qts, 3500000);
    busy = qom_u64(qts, "chan2-busy-ns");
    g_assert_cmpuint(busy, >=, 3400000);
    g_assert_cmpuint(busy, <=, 3600000);
    g_assert_cmpuint(qom_u64(qts, "chan2-bytes"), ==, 3 * 1024);
    qtest_clock_step(qts, 20000000);
    /* 8 bursts of 1 KiB: 8ms of bus time */
    busy = qom_u64(qts, "chan2-busy-ns");
    g_assert_cmpuint(busy, >=, 7900000);
    g_assert_cmpuint(busy, <=, 8200000);
    g_assert_cmpuint(qom_u64(qts, "chan2-bytes"), ==, 8 * 1024);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres"), ==, 8);
    g_assert_cmpuint(qom_u64(qts, "chan2-errors"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan2-doorbells"), ==, 2);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan0-busy-ns"), ==, 0);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Quality of service                                                  */

#define QOS_TRES 60

static void qos_queue(Chan *c)
{
    for (unsigned i = 0; i < QOS_TRES; i++) {
        chan_put(c, TRE_MEMSET, 0, 1024, 0, buf_addr(c->n, 0));
    }
    tr_wr(c->qts, c->n, DOORBELL, c->tre_wr);
}

static void test_qos_weights(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    uint64_t b0, b1;
    Chan c0, c1;

    chan_setup(&c0, qts, 0, QOS_TRES + 1, QOS_TRES + 1, false);
    chan_setup(&c1, qts, 1, QOS_TRES + 1, QOS_TRES + 1, false);
    mgmt_wr(qts, QOS(0), QOS_WEIGHT(1));
    mgmt_wr(qts, QOS(1), QOS_WEIGHT(3));
    qos_queue(&c0);
    qos_queue(&c1);
    mgmt_wr(qts, CFG, 1);
    qtest_clock_step(qts, 40000000);
    b0 = qom_u64(qts, "chan0-bytes");
    b1 = qom_u64(qts, "chan1-bytes");
    g_test_message("40ms at 1 KiB/ms, weights 1:3: %" PRIu64 " vs %" PRIu64,
                   b0, b1);
    g_assert_cmpuint(b0 + b1, >=, 39 * 1024);
    g_assert_cmpuint(b0 + b1, <=, 41 * 1024);
    g_assert_cmpuint(b1, >=, 2.7 * b0);
    g_assert_cmpuint(b1, <=, 3.3 * b0);
    /* busy the whole time */
    g_assert_cmpuint(qom_u64(qts, "chan0-busy-ns"), >=, 40000000);
    qtest_quit(qts);
}

static void test_qos_weight_zero(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    uint64_t b0, b1;
    Chan c0, c1;

    chan_setup(&c0, qts, 0, QOS_TRES + 1, QOS_TRES + 1, false);
    chan_setup(&c1, qts, 1, QOS_TRES + 1, QOS_TRES + 1, false);
    mgmt_wr(qts, QOS(0), QOS_WEIGHT(0));      /* behaves as 1 */
    mgmt_wr(qts, QOS(1), QOS_WEIGHT(1));
    qos_queue(&c0);
    qos_queue(&c1);
    mgmt_wr(qts, CFG, 1);
    qtest_clock_step(qts, 20000000);
    b0 = qom_u64(qts, "chan0-bytes");
    b1 = qom_u64(qts, "chan1-bytes");
    g_assert_cmpuint(b0, >=, 9 * 1024);
    g_assert_cmpuint(b1, >=, 9 * 1024);
    g_assert_cmpuint(b0 > b1 ? b0 - b1 : b1 - b0, <=, 1024);
    qtest_quit(qts);
}

static void test_qos_priority(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    Chan c0, c1;

    chan_setup(&c0, qts, 0, QOS_TRES + 1, QOS_TRES + 1, false);
    chan_setup(&c1, qts, 1, QOS_TRES + 1, QOS_TRES + 1, false);
    /* the low-priority channel has the larger weight: no matter */
    mgmt_wr(qts, QOS(0), QOS_WEIGHT(15));
    mgmt_wr(qts, QOS(1), QOS_HIGH | QOS_WEIGHT(1));
    qos_queue(&c0);
    qos_queue(&c1);
    mgmt_wr(qts, CFG, 1);
    qtest_clock_step(qts, 30000000);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), >=, 29 * 1024);
    /* once the high-priority channel runs dry, the other one runs */
    qtest_clock_step(qts, 60000000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, QOS_TRES * 1024);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), >=, 25 * 1024);
    qtest_quit(qts);
}

/* Bandwidths beyond 32 bits: 8 GiB/s moves 64 KiB in about 8us. */
static void test_qos_large_bandwidth(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=8589934592");
    Chan c;

    chan_setup(&c, qts, 0, 4, 4, true);
    chan_put(&c, TRE_MEMSET, 0, 64 * 1024, 0x3c3c3c3c3c3c3c3cULL,
             buf_addr(0, 0));
    tr_wr(qts, 0, DOORBELL, c.tre_wr);
    qtest_clock_step(qts, 5000);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 0);
    qtest_clock_step(qts, 5000);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 64 * 1024);
    assert_fill(qts, buf_addr(0, 0), 64 * 1024, 0x3c);
    qtest_quit(qts);
}

/* A TRE larger than a burst is split and interleaved with other channels. */
static void test_qos_interleave(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    Chan c0, c1;

    chan_setup(&c0, qts, 0, 4, 4, false);
    chan_setup(&c1, qts, 1, 4, 4, false);
    mgmt_wr(qts, MAX_BUS_REQ_LEN, 0x04000400);
    chan_put(&c0, TRE_MEMSET, 0, 16 * 1024, 0, buf_addr(0, 0));
    chan_put(&c1, TRE_MEMSET, 0, 1024, 0, buf_addr(1, 0));
    tr_wr(qts, 0, DOORBELL, c0.tre_wr);
    tr_wr(qts, 1, DOORBELL, c1.tre_wr);
    mgmt_wr(qts, CFG, 1);
    /* after two bursts' time the small TRE is done, the big one is not */
    qtest_clock_step(qts, 2000000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 1024);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 0);
    qtest_clock_step(qts, 20000000);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 16 * 1024);
    /* smaller bursts: 128 bytes each, 8x the bursts for the same bytes */
    mgmt_wr(qts, MAX_BUS_REQ_LEN, 0x00800080);
    chan_put(&c1, TRE_MEMSET, 0, 1024, 0, buf_addr(1, 0));
    tr_wr(qts, 1, DOORBELL, c1.tre_wr);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 2048);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Migration                                                           */

static void wait_migration(QTestState *qts)
{
    for (int i = 0; i < 3000; i++) {
        QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
        QDict *ret = qdict_get_qdict(rsp, "return");
        const char *st = qdict_haskey(ret, "status") ?
                         qdict_get_str(ret, "status") : "none";
        bool done = !strcmp(st, "completed");

        g_assert_cmpstr(st, !=, "failed");
        qobject_unref(rsp);
        if (done) {
            return;
        }
        g_usleep(10000);
    }
    g_assert_not_reached();
}

/* A channel stalled on a full event ring goes on after migration. */
static void test_migration(void)
{
    g_autofree char *file = g_strdup_printf("%s/qcom-hidma-mig-%d",
                                            g_get_tmp_dir(), (int)getpid());
    g_autofree char *uri = g_strdup_printf("exec:cat > %s", file);
    g_autofree char *incoming = g_strdup_printf("-incoming 'exec:cat %s'",
                                                file);
    QTestState *qts = hidma_start(NULL);
    Chan c;

    chan_setup(&c, qts, 2, 8, 4, true);
    mgmt_wr(qts, QOS(2), QOS_HIGH | QOS_WEIGHT(3));
    ev_wr(qts, 2, EV_MSI_DATA, 0x77);
    for (unsigned i = 0; i < 5; i++) {
        chan_put(&c, TRE_MEMSET, TRE_IEOB, 64, 0x0101010101010101ULL * (i + 1),
                 buf_addr(2, i));
    }
    chan_kick(&c);
    g_assert_cmphex(ev_rd(qts, 2, EV_WRITE_PTR), ==, 48);

    qtest_qmp_assert_success(qts, "{ 'execute': 'migrate', "
                             "'arguments': { 'uri': %s } }", uri);
    wait_migration(qts);
    qtest_quit(qts);

    qts = hidma_start(incoming);
    wait_migration(qts);
    unlink(file);
    c.qts = qts;
    g_assert_cmphex(mgmt_rd(qts, CFG), ==, 1);
    g_assert_cmphex(mgmt_rd(qts, QOS(2)), ==, 0x8300);
    g_assert_cmphex(ev_rd(qts, 2, EV_MSI_DATA), ==, 0x77);
    g_assert_cmphex(ev_rd(qts, 2, EV_INTCTRL), ==, 1);
    g_assert_cmphex(ev_rd(qts, 2, EV_IRQ_STAT), ==, 1);
    g_assert_cmphex(ev_rd(qts, 2, EV_WRITE_PTR), ==, 48);
    g_assert_cmphex(tr_rd(qts, 2, DOORBELL), ==, 5 * TRE_SIZE);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(2)), ==, ST_RUNNING);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres"), ==, 3);
    assert_fill(qts, buf_addr(2, 3), 64, 4);

    ev_wr(qts, 2, DOORBELL, 32);
    qtest_clock_step(qts, 1000);
    g_assert_cmphex(ev_rd(qts, 2, EV_WRITE_PTR), ==, 16);
    assert_fill(qts, buf_addr(2, 4), 64, 5);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(2)), ==, ST_ENABLED);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres"), ==, 5);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Guest mistakes                                                      */

static void test_guest_errors(void)
{
    QTestState *qts = hidma_start(NULL);
    Chan c;

    /* access widths other than aligned 32-bit are ignored */
    g_assert_cmphex(qtest_readb(qts, MGMT_BASE + HW_VERSION + 3), ==, 0);
    g_assert_cmphex(qtest_readw(qts, MGMT_BASE + HW_VERSION + 2), ==, 0);
    g_assert_cmphex(qtest_readq(qts, MGMT_BASE + 0x418), ==, 0);
    g_assert_cmphex(qtest_readl(qts, MGMT_BASE + 0x402), ==, 0);
    qtest_writeb(qts, MGMT_BASE + CFG, 1);
    qtest_writew(qts, MGMT_BASE + CFG, 1);
    qtest_writeq(qts, MGMT_BASE + CFG, 1);
    qtest_writel(qts, MGMT_BASE + CFG + 1, 1);
    g_assert_cmphex(mgmt_rd(qts, CFG), ==, 0);
    qtest_writeb(qts, TRCA_BASE(0) + CTRLSTS + 2, CMD_ENABLE);
    qtest_writeq(qts, EVCA_BASE(0) + EV_IRQ_CLR, ~0ULL);
    qtest_readq(qts, TRCA_BASE(0) + DOORBELL);
    qtest_readw(qts, EVCA_BASE(0) + EV_IRQ_STAT);

    chan_setup(&c, qts, 0, 8, 8, true);

    /* doorbells not a multiple of the element, or past the ring */
    tr_wr(qts, 0, DOORBELL, 16);
    tr_wr(qts, 0, DOORBELL, 8 * TRE_SIZE);
    tr_wr(qts, 0, DOORBELL, 0xffffffe0);
    g_assert_cmphex(tr_rd(qts, 0, DOORBELL), ==, 0);
    ev_wr(qts, 0, DOORBELL, 8);
    ev_wr(qts, 0, DOORBELL, 8 * EVRE_SIZE);
    g_assert_cmphex(ev_rd(qts, 0, DOORBELL), ==, 0);
    /* ring registers are frozen outside DISABLED */
    tr_wr(qts, 0, TR_RING_LEN, 0);
    tr_wr(qts, 0, TR_RING_LOW, 3);
    ev_wr(qts, 0, EV_RING_LEN, 0);
    g_assert_cmphex(tr_rd(qts, 0, TR_RING_LEN), ==, c.tre_len);
    g_assert_cmphex(tr_rd(qts, 0, TR_RING_LOW), ==, (uint32_t)c.tre_ring);
    g_assert_cmphex(ev_rd(qts, 0, EV_RING_LEN), ==, c.ev_len);
    /* unknown commands, bad INTCTRL, unknown causes, bad QOS, bad bursts */
    tr_wr(qts, 0, CTRLSTS, 0xff << 16);
    ev_wr(qts, 0, CTRLSTS, 0x7 << 16);
    ev_wr(qts, 0, EV_INTCTRL, 0xffffffff);
    ev_wr(qts, 0, EV_IRQ_EN, 0xffffffff);
    mgmt_wr(qts, QOS(0), 0xffffffff);
    mgmt_wr(qts, QOS(31), 0xffffffff);
    mgmt_wr(qts, MAX_BUS_REQ_LEN, 0);
    mgmt_wr(qts, MAX_XACTIONS, 0xffffffff);
    mgmt_wr(qts, CHRESET_TIMEOUT, 0xffffffff);
    /* MSI mode with no address: nothing is written anywhere */
    ev_wr(qts, 0, EV_INTCTRL, 0);
    ev_wr(qts, 0, EV_MSI_ADDR_LO, 0);
    ev_wr(qts, 0, EV_MSI_ADDR_HI, 0);
    ev_wr(qts, 0, EV_IRQ_EN, CAUSES_ALL);
    qtest_clock_step(qts, 1000000);

    /* still working: a huge memset, an unaligned MSI address, a bad TRE */
    chan_put(&c, TRE_MEMSET, TRE_IEOB, 128 * 1024, 0x4242424242424242ULL,
             buf_addr(0, 0));
    chan_kick(&c);
    assert_fill(qts, buf_addr(0, 0) + 128 * 1024 - 64, 64, 0x42);
    ev_wr(qts, 0, EV_MSI_ADDR_LO, (uint32_t)RAM_BASE + 2);
    chan_put(&c, TRE_MEMCPY, TRE_IEOB, 0xffffffff, BAD_ADDR, BAD_ADDR);
    chan_kick(&c);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_STOPPED);
    g_assert_cmpuint(qom_u64(qts, "chan0-tres"), ==, 2);

    /* RESET while STOPPED, ENABLE with DOORBELL outside a shrunk ring */
    chan_reset(&c);
    tr_wr(qts, 0, TR_RING_LEN, 2 * TRE_SIZE);
    tr_wr(qts, 0, DOORBELL, TRE_SIZE);
    tr_wr(qts, 0, TR_RING_LEN, TRE_SIZE);
    command(qts, TRCA_BASE(0), CMD_ENABLE);
    qtest_clock_step(qts, 10 * CMD_DELAY_NS);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_DISABLED);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Commands: queued, completed in order, never lost                    */

/* A command written while another waits completes after it, in order. */
static void test_cmd_queue(void)
{
    QTestState *qts = hidma_start(NULL);
    Chan c;

    chan_setup(&c, qts, 0, 8, 8, true);
    /* SUSPEND then at once ENABLE: both happen, in that order */
    command(qts, TRCA_BASE(0), CMD_SUSPEND);
    command(qts, TRCA_BASE(0), CMD_ENABLE);
    g_assert_cmphex(tr_rd(qts, 0, CTRLSTS) >> 16, ==, CMD_ENABLE);
    qtest_clock_step(qts, CMD_DELAY_NS - 1);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_ENABLED);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_SUSPENDED);
    qtest_clock_step(qts, CMD_DELAY_NS - 1);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_SUSPENDED);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_ENABLED);

    /* eight commands fit; each one completes in turn */
    for (unsigned i = 0; i < 4; i++) {
        command(qts, EVCA_BASE(0), CMD_SUSPEND);
        command(qts, EVCA_BASE(0), CMD_ENABLE);
    }
    /* a ninth is dropped (and logged) */
    command(qts, EVCA_BASE(0), CMD_SUSPEND);
    for (unsigned i = 0; i < 8; i++) {
        qtest_clock_step(qts, CMD_DELAY_NS);
        g_assert_cmpuint(state_of(qts, EVCA_BASE(0)), ==,
                         i % 2 ? ST_ENABLED : ST_SUSPENDED);
    }
    qtest_clock_step(qts, 10 * CMD_DELAY_NS);
    g_assert_cmpuint(state_of(qts, EVCA_BASE(0)), ==, ST_ENABLED);

    /* the channel still works */
    chan_put(&c, TRE_MEMSET, 0, 64, 0x2929292929292929ULL, buf_addr(0, 0));
    chan_kick(&c);
    assert_fill(qts, buf_addr(0, 0), 64, 0x29);
    qtest_quit(qts);
}

/*
 * RESET of blocks that are already DISABLED: the offsets are zeroed at
 * once (STATE already says DISABLED), and an ENABLE written right after
 * does not cancel it.
 */
static void test_cmd_reset_disabled(void)
{
    QTestState *qts = hidma_start(NULL);
    Chan c;

    chan_setup(&c, qts, 1, 8, 8, true);
    for (unsigned i = 0; i < 3; i++) {
        chan_put(&c, TRE_MEMSET, 0, 64, 0x0101010101010101ULL * (i + 1),
                 buf_addr(1, i));
    }
    chan_kick(&c);
    ev_wr(qts, 1, DOORBELL, 32);
    g_assert_cmphex(ev_rd(qts, 1, EV_WRITE_PTR), ==, 48);
    command(qts, TRCA_BASE(1), CMD_DISABLE);
    command(qts, EVCA_BASE(1), CMD_DISABLE);
    g_assert(wait_state(qts, TRCA_BASE(1), ST_DISABLED));
    g_assert(wait_state(qts, EVCA_BASE(1), ST_DISABLED));
    /* DISABLE keeps the offsets */
    g_assert_cmphex(tr_rd(qts, 1, DOORBELL), ==, 3 * TRE_SIZE);
    g_assert_cmphex(ev_rd(qts, 1, DOORBELL), ==, 32);

    command(qts, TRCA_BASE(1), CMD_RESET);
    command(qts, EVCA_BASE(1), CMD_RESET);
    /* what polling software sees (DISABLED) is true at once */
    g_assert_cmphex(tr_rd(qts, 1, DOORBELL), ==, 0);
    g_assert_cmphex(ev_rd(qts, 1, DOORBELL), ==, 0);
    g_assert_cmphex(ev_rd(qts, 1, EV_WRITE_PTR), ==, 0);
    /* set up again at once, well within cmd-delay-ns */
    command(qts, EVCA_BASE(1), CMD_ENABLE);
    command(qts, TRCA_BASE(1), CMD_ENABLE);
    g_assert(wait_state(qts, EVCA_BASE(1), ST_ENABLED));
    g_assert(wait_state(qts, TRCA_BASE(1), ST_ENABLED));
    g_assert_cmphex(tr_rd(qts, 1, DOORBELL), ==, 0);
    g_assert_cmphex(ev_rd(qts, 1, DOORBELL), ==, 0);
    g_assert_cmphex(ev_rd(qts, 1, EV_WRITE_PTR), ==, 0);

    /* the ring starts again at slot 0, its event at 0 */
    c.tre_wr = 0;
    qtest_writel(qts, c.ev_ring, 0);
    chan_put(&c, TRE_MEMSET, 0, 64, 0x5151515151515151ULL, buf_addr(1, 5));
    chan_kick(&c);
    assert_fill(qts, buf_addr(1, 5), 64, 0x51);
    g_assert_cmphex(evre_word(&c, 0, 0), ==, EVRE_OK);
    g_assert_cmphex(ev_rd(qts, 1, EV_WRITE_PTR), ==, EVRE_SIZE);
    g_assert_cmpuint(qom_u64(qts, "chan1-tres"), ==, 4);
    g_assert_cmpuint(qom_u64(qts, "chan1-tres-after-stop"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes-after-stop"), ==, 0);
    qtest_quit(qts);
}

/*
 * RESET (and DISABLE) with work queued and running: nothing is executed
 * after the command is written, but the TRE a DISABLE finds in flight.
 * Commands take 2ms here, two bursts' time.
 */
static void test_cmd_stop_with_work(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000 "
                                  "-global qcom-hidma.cmd-delay-ns=2000000");
    Chan c;

    chan_setup(&c, qts, 2, 16, 16, true);
    qtest_memset(qts, buf_addr(2, 0), 0, 8 * 0x10000);
    for (unsigned i = 0; i < 8; i++) {
        chan_put(&c, TRE_MEMSET, TRE_IEOB, 4096, 0x6161616161616161ULL,
                 buf_addr(2, i));
    }
    chan_kick(&c);
    /* 4 KiB per TRE at 1 KiB/ms: the second TRE is half done */
    qtest_clock_step(qts, 6000000);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres"), ==, 1);
    command(qts, TRCA_BASE(2), CMD_RESET);
    command(qts, EVCA_BASE(2), CMD_RESET);
    qtest_clock_step(qts, 10000000);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(2)), ==, ST_DISABLED);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres"), ==, 1);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres-after-stop"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan2-bytes-after-stop"), ==, 0);
    g_assert_cmphex(qtest_readl(qts, buf_addr(2, 1) + 2048), ==, 0);

    /* work queued again; RESET and at once ENABLE: the RESET still wins */
    chan_enable(&c);
    c.tre_wr = 0;
    for (unsigned i = 0; i < 8; i++) {
        chan_put(&c, TRE_MEMSET, TRE_IEOB, 4096, 0x6262626262626262ULL,
                 buf_addr(2, i));
    }
    chan_kick(&c);
    qtest_clock_step(qts, 6000000);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres"), ==, 2);
    command(qts, TRCA_BASE(2), CMD_RESET);
    command(qts, EVCA_BASE(2), CMD_RESET);
    command(qts, EVCA_BASE(2), CMD_ENABLE);
    command(qts, TRCA_BASE(2), CMD_ENABLE);
    qtest_clock_step(qts, 20000000);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(2)), ==, ST_ENABLED);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres"), ==, 2);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres-after-stop"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan2-bytes-after-stop"), ==, 0);
    g_assert_cmphex(tr_rd(qts, 2, DOORBELL), ==, 0);
    g_assert_cmphex(ev_rd(qts, 2, EV_WRITE_PTR), ==, 0);
    g_assert_cmphex(qtest_readl(qts, buf_addr(2, 2)), ==, 0);
    g_assert_cmphex(qtest_readl(qts, buf_addr(2, 7) + 4092), ==, 0);

    /* DISABLE: the TRE in flight finishes, no further one starts */
    c.tre_wr = 0;
    for (unsigned i = 0; i < 4; i++) {
        chan_put(&c, TRE_MEMSET, TRE_IEOB, 4096, 0x7272727272727272ULL,
                 buf_addr(2, i));
    }
    chan_kick(&c);
    qtest_clock_step(qts, 2000000);
    command(qts, TRCA_BASE(2), CMD_DISABLE);
    g_assert(wait_state(qts, TRCA_BASE(2), ST_DISABLED));
    qtest_clock_step(qts, 10000000);
    assert_fill(qts, buf_addr(2, 0), 4096, 0x72);
    g_assert_cmphex(qtest_readl(qts, buf_addr(2, 1)), !=, 0x72727272);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres"), ==, 3);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres-after-stop"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan2-bytes-after-stop"), ==, 0);
    /* ENABLE goes on with the next TRE */
    command(qts, TRCA_BASE(2), CMD_ENABLE);
    qtest_clock_step(qts, 20000000);
    assert_fill(qts, buf_addr(2, 3), 4096, 0x72);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres"), ==, 6);
    g_assert_cmpuint(qom_u64(qts, "chan2-tres-after-stop"), ==, 0);
    qtest_quit(qts);
}

/*
 * CHRESET_TIMEOUT: a RESET that hangs fails after CHRESET_TIMEOUT engine
 * cycles of 10 ns. STATE keeps its old value, the channel does no work,
 * and the commands queued behind it run from then on.
 */
static void test_reset_timeout(void)
{
    QTestState *qts = hidma_start(NULL);
    const uint64_t timeout_ns = 0x4000 * 10;
    Chan c;

    chan_setup(&c, qts, 3, 8, 8, true);
    mgmt_wr(qts, CHRESET_TIMEOUT, 0x4000);
    qom_set_bool(qts, "chan3-reset-hang", true);
    command(qts, TRCA_BASE(3), CMD_RESET);
    /* sampled when the RESET started: clearing it now changes nothing */
    qom_set_bool(qts, "chan3-reset-hang", false);
    command(qts, TRCA_BASE(3), CMD_SUSPEND);
    qtest_clock_step(qts, timeout_ns + CMD_DELAY_NS - 1);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(3)), ==, ST_ENABLED);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(3)), ==, ST_SUSPENDED);

    /* a failed RESET zeroes nothing and halts the channel */
    command(qts, TRCA_BASE(3), CMD_ENABLE);
    g_assert(wait_state(qts, TRCA_BASE(3), ST_ENABLED));
    chan_put(&c, TRE_MEMSET, 0, 64, 0x3131313131313131ULL, buf_addr(3, 0));
    chan_kick(&c);
    assert_fill(qts, buf_addr(3, 0), 64, 0x31);
    mgmt_wr(qts, CHRESET_TIMEOUT, 0x500);
    qom_set_bool(qts, "chan3-reset-hang", true);
    command(qts, TRCA_BASE(3), CMD_RESET);
    command(qts, EVCA_BASE(3), CMD_RESET);
    /* a driver polling for DISABLED (20 ms) sees the failure */
    g_assert_false(wait_state(qts, TRCA_BASE(3), ST_DISABLED));
    g_assert_cmpuint(state_of(qts, TRCA_BASE(3)), ==, ST_ENABLED);
    g_assert_cmpuint(state_of(qts, EVCA_BASE(3)), ==, ST_ENABLED);
    g_assert_cmphex(tr_rd(qts, 3, DOORBELL), ==, TRE_SIZE);
    g_assert_cmphex(ev_rd(qts, 3, EV_WRITE_PTR), ==, EVRE_SIZE);
    chan_put(&c, TRE_MEMSET, 0, 64, 0x3232323232323232ULL, buf_addr(3, 1));
    chan_kick(&c);
    qtest_clock_step(qts, 1000000);
    g_assert_cmphex(qtest_readl(qts, buf_addr(3, 1)), !=, 0x32323232);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(3)), ==, ST_RUNNING);
    g_assert_cmpuint(qom_u64(qts, "chan3-bytes-after-stop"), ==, 0);

    /* knob cleared: the next RESET (12.8us after the first) works */
    qom_set_bool(qts, "chan3-reset-hang", false);
    command(qts, TRCA_BASE(3), CMD_RESET);
    command(qts, EVCA_BASE(3), CMD_RESET);
    g_assert(wait_state(qts, TRCA_BASE(3), ST_DISABLED));
    g_assert(wait_state(qts, EVCA_BASE(3), ST_DISABLED));
    g_assert_cmphex(tr_rd(qts, 3, DOORBELL), ==, 0);
    chan_reset(&c);
    chan_enable(&c);
    chan_put(&c, TRE_MEMSET, 0, 64, 0x3333333333333333ULL, buf_addr(3, 2));
    chan_kick(&c);
    assert_fill(qts, buf_addr(3, 2), 64, 0x33);
    g_assert_cmpuint(qom_u64(qts, "chan3-tres-after-stop"), ==, 0);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Arbiter: bursts, MAX_XACTIONS                                       */

/*
 * Memset moves data in write bursts (MAX_BUS_REQ_LEN.WR); memcpy in
 * bursts both fields bound. Small bursts interleave channels finely.
 */
static void test_qos_write_burst(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    uint64_t src = buf_addr(1, 2);
    Chan c0, c1;

    chan_setup(&c0, qts, 0, 8, 8, false);
    chan_setup(&c1, qts, 1, 8, 8, false);
    /* write bursts 128 bytes, read bursts 1 KiB */
    mgmt_wr(qts, MAX_BUS_REQ_LEN, 0x00800400);
    chan_put(&c0, TRE_MEMSET, 0, 16 * 1024, 0, buf_addr(0, 0));
    chan_put(&c1, TRE_MEMSET, 0, 256, 0, buf_addr(1, 0));
    tr_wr(qts, 0, DOORBELL, c0.tre_wr);
    tr_wr(qts, 1, DOORBELL, c1.tre_wr);
    mgmt_wr(qts, CFG, 1);
    /* 128-byte bursts take turns: channel 1 is done after 4 (0.5ms) */
    qtest_clock_step(qts, 490000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 0);
    qtest_clock_step(qts, 20000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 256);
    qtest_clock_step(qts, 20000000);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 16 * 1024);

    /* memcpy: read bursts 128, write bursts 1 KiB: 128-byte bursts too */
    mgmt_wr(qts, MAX_BUS_REQ_LEN, 0x04000080);
    fill(qts, src, 256, 9);
    chan_put(&c0, TRE_MEMSET, 0, 16 * 1024, 0, buf_addr(0, 0));
    chan_put(&c1, TRE_MEMCPY, 0, 256, src, buf_addr(1, 1));
    tr_wr(qts, 0, DOORBELL, c0.tre_wr);
    tr_wr(qts, 1, DOORBELL, c1.tre_wr);
    /* memset bursts are 1 KiB now: 1 KiB, 128, 1 KiB, 128 */
    qtest_clock_step(qts, 1200000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 256);
    qtest_clock_step(qts, 1100000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 256 + 256);
    assert_same(qts, src, buf_addr(1, 1), 256);
    qtest_quit(qts);
}

/* The weights' ratio in bytes, whatever the burst size. */
static void test_qos_weights_bytes(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    uint64_t b0, b1;
    Chan c0, c1;

    chan_setup(&c0, qts, 0, QOS_TRES + 1, QOS_TRES + 1, false);
    chan_setup(&c1, qts, 1, QOS_TRES + 1, QOS_TRES + 1, false);
    /* 256-byte write bursts, one at a time: still 2 vs 5 per round */
    mgmt_wr(qts, MAX_BUS_REQ_LEN, 0x01000400);
    mgmt_wr(qts, MAX_XACTIONS, 0x00010001);
    mgmt_wr(qts, QOS(0), QOS_WEIGHT(2));
    mgmt_wr(qts, QOS(1), QOS_WEIGHT(5));
    qos_queue(&c0);
    qos_queue(&c1);
    mgmt_wr(qts, CFG, 1);
    qtest_clock_step(qts, 70000000);
    b0 = qom_u64(qts, "chan0-bytes");
    b1 = qom_u64(qts, "chan1-bytes");
    g_test_message("70ms at 1 KiB/ms, weights 2:5: %" PRIu64 " vs %" PRIu64,
                   b0, b1);
    g_assert_cmpuint(b0 + b1, >=, 68 * 1024);
    g_assert_cmpuint(5 * b0, >=, 2 * b1 * 0.9);
    g_assert_cmpuint(5 * b0, <=, 2 * b1 * 1.1);
    qtest_quit(qts);
}

/*
 * A step that moves no data (here: writing the event of a TRE that waited
 * for room in the event ring) uses no weight: the channel keeps its turn.
 */
static void test_qos_zero_byte_step(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    Chan c0, c1;

    /* channel 0: room for one unread event */
    chan_setup(&c0, qts, 0, 16, 2, true);
    chan_setup(&c1, qts, 1, 16, 16, true);
    for (unsigned i = 0; i < 8; i++) {
        chan_put(&c0, TRE_MEMSET, 0, 1024, 0, buf_addr(0, i));
        chan_put(&c1, TRE_MEMSET, 0, 1024, 0, buf_addr(1, i));
    }
    /* channel 0 alone: the first TRE's event is written, the second waits */
    tr_wr(qts, 0, DOORBELL, c0.tre_wr);
    qtest_clock_step(qts, 2500000);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 1024);
    g_assert_cmpuint(qom_u64(qts, "chan0-tres"), ==, 1);
    mgmt_wr(qts, CFG, 0);
    tr_wr(qts, 1, DOORBELL, c1.tre_wr);
    ev_wr(qts, 0, DOORBELL, EVRE_SIZE);
    mgmt_wr(qts, CFG, 1);
    /*
     * Weights 1:1, channel 1's turn: one burst; then channel 0 writes its
     * event (no burst) and moves its next burst in the same turn.
     */
    qtest_clock_step(qts, 1500000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 1024);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 2048);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 1024);
    g_assert_cmphex(qtest_readl(qts, buf_addr(0, 2)), ==, 0);
    qtest_quit(qts);
}

/*
 * MAX_XACTIONS bounds the back-to-back bursts of one grant: a heavy
 * channel (weight 15) lets a light one in after that many bursts, and the
 * weights still hold over a round.
 */
static void test_qos_xactions(void)
{
    QTestState *qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    uint64_t src = buf_addr(0, 8);
    Chan c0, c1;

    chan_setup(&c0, qts, 0, QOS_TRES + 1, 64, false);
    chan_setup(&c1, qts, 1, 8, 8, false);
    mgmt_wr(qts, QOS(0), QOS_WEIGHT(15));
    mgmt_wr(qts, QOS(1), QOS_WEIGHT(1));
    for (unsigned i = 0; i < 30; i++) {
        chan_put(&c0, TRE_MEMSET, 0, 1024, 0, buf_addr(0, 0));
    }
    tr_wr(qts, 0, DOORBELL, c0.tre_wr);

    /* reset value 31: channel 0 moves its 15 bursts, then channel 1 */
    chan_put(&c1, TRE_MEMSET, 0, 1024, 0, buf_addr(1, 0));
    tr_wr(qts, 1, DOORBELL, c1.tre_wr);
    mgmt_wr(qts, CFG, 1);
    qtest_clock_step(qts, 15500000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 15 * 1024);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 1024);

    /* two back-to-back write bursts: channel 1 gets in after two */
    mgmt_wr(qts, MAX_XACTIONS, 0x00020002);
    chan_put(&c1, TRE_MEMSET, 0, 1024, 0, buf_addr(1, 0));
    tr_wr(qts, 1, DOORBELL, c1.tre_wr);
    qtest_clock_step(qts, 3000000);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 2048);
    qtest_quit(qts);

    /* RD bounds memcpy bursts only; 0 acts as 1 */
    qts = hidma_start("-global qcom-hidma.bandwidth=1024000");
    chan_setup(&c0, qts, 0, QOS_TRES + 1, 64, false);
    chan_setup(&c1, qts, 1, 8, 8, false);
    mgmt_wr(qts, QOS(0), QOS_WEIGHT(15));
    mgmt_wr(qts, MAX_XACTIONS, 0x001f0000);
    fill(qts, src, 1024, 3);
    for (unsigned i = 0; i < 30; i++) {
        chan_put(&c0, TRE_MEMCPY, 0, 1024, src, buf_addr(0, 0));
    }
    tr_wr(qts, 0, DOORBELL, c0.tre_wr);
    chan_put(&c1, TRE_MEMSET, 0, 1024, 0, buf_addr(1, 0));
    tr_wr(qts, 1, DOORBELL, c1.tre_wr);
    mgmt_wr(qts, CFG, 1);
    qtest_clock_step(qts, 2500000);
    g_assert_cmpuint(qom_u64(qts, "chan0-bytes"), ==, 1024);
    g_assert_cmpuint(qom_u64(qts, "chan1-bytes"), ==, 1024);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* The engine yields                                                   */

/*
 * Without a bandwidth limit the engine still does a bounded amount of
 * work per main-loop pass: with the virtual clock standing still (qtest),
 * the monitor answers while large TREs are in progress, and the work goes
 * on as the clock moves.
 */
static void test_engine_yields(void)
{
    QTestState *qts = hidma_start(NULL);
    const uint32_t len = 16 * 1024 * 1024;
    const uint64_t dst = RAM_BASE + 0x8000000;
    QDict *rsp;
    Chan c;

    chan_setup(&c, qts, 0, 8, 8, true);
    for (unsigned i = 0; i < 4; i++) {
        chan_put(&c, TRE_MEMSET, 0, len, 0x5e5e5e5e5e5e5e5eULL,
                 dst + (uint64_t)i * len);
    }
    tr_wr(qts, 0, DOORBELL, c.tre_wr);

    rsp = qtest_qmp(qts, "{ 'execute': 'query-status' }");
    g_assert(qdict_haskey(rsp, "return"));
    qobject_unref(rsp);
    g_assert_cmpuint(qom_u64(qts, "chan0-tres"), ==, 0);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_RUNNING);
    /* some progress, far from all */
    qtest_clock_step(qts, 10);
    g_assert_cmphex(qtest_readl(qts, dst), ==, 0x5e5e5e5e);
    g_assert_cmphex(qtest_readl(qts, dst + len - 4), !=, 0x5e5e5e5e);
    g_assert_cmpuint(qom_u64(qts, "chan0-tres"), ==, 0);

    for (int i = 0; i < 100 && qom_u64(qts, "chan0-tres") < 4; i++) {
        qtest_clock_step(qts, 1000);
    }
    g_assert_cmpuint(qom_u64(qts, "chan0-tres"), ==, 4);
    g_assert_cmphex(qtest_readl(qts, dst + 4ULL * len - 4), ==, 0x5e5e5e5e);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(0)), ==, ST_ENABLED);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Register access statistics                                          */

static void test_reg_stats(void)
{
    QTestState *qts = hidma_start(NULL);

    for (unsigned n = 0; n < NCHAN; n++) {
        g_assert_cmpuint(qom_u64(qts, "chan%u-reg-reads", n), ==, 0);
        g_assert_cmpuint(qom_u64(qts, "chan%u-reg-writes", n), ==, 0);
    }
    tr_rd(qts, 4, CTRLSTS);
    tr_rd(qts, 4, DOORBELL);
    tr_rd(qts, 4, 0x004);                       /* unlisted */
    ev_rd(qts, 4, EV_WRITE_PTR);
    qtest_readw(qts, EVCA_BASE(4) + EV_IRQ_STAT);   /* wrong width */
    tr_wr(qts, 4, TR_RING_LEN, 0x100);
    ev_wr(qts, 4, EV_IRQ_CLR, 0xffffffff);
    ev_wr(qts, 4, EV_IRQ_EN, 0);
    command(qts, TRCA_BASE(4), CMD_RESET);      /* one read, one write */
    mgmt_rd(qts, CFG);                          /* not a channel's */
    mgmt_wr(qts, CFG, 0);
    g_assert_cmpuint(qom_u64(qts, "chan4-reg-reads"), ==, 6);
    g_assert_cmpuint(qom_u64(qts, "chan4-reg-writes"), ==, 4);
    g_assert_cmpuint(qom_u64(qts, "chan3-reg-reads"), ==, 0);
    g_assert_cmpuint(qom_u64(qts, "chan5-reg-writes"), ==, 0);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Migration: the stream is checked                                    */

typedef struct MigPatch {
    const char *name;
    unsigned word;      /* which of the four words to change */
    uint32_t to;
} MigPatch;

/*
 * The four consecutive vmstate words patched: TRCA RING_LOW, RING_HIGH,
 * RING_LEN, DOORBELL (big endian in the stream), or EVCA RING_LEN,
 * WRITE_PTR, IRQ_STAT, IRQ_EN for the event side.
 */
static const MigPatch mig_patches[] = {
    { "none", 0, 0 },
    { "trca-doorbell-unaligned", 3, 0x1e4 },
    { "evca-write-ptr-unaligned", 1, 0x38 },
};

static void test_migration_checked(const void *data)
{
    const MigPatch *mp = data;
    g_autofree char *file = g_strdup_printf("%s/qcom-hidma-mig-chk-%d",
                                            g_get_tmp_dir(), (int)getpid());
    g_autofree char *uri = g_strdup_printf("exec:cat > %s", file);
    g_autofree char *in_uri = g_strdup_printf("exec:cat %s", file);
    g_autofree char *stream = NULL;
    uint32_t tr_words[4] = { 0x4abc0000, 0, 0x2000, 0x1e0 };
    uint32_t ev_words[4] = { 0x1000, 0x30, 0, 0 };
    uint32_t *words = mp->word == 3 ? tr_words : ev_words;
    uint32_t pat[4];
    gsize len;
    char *at;
    QTestState *qts = hidma_start(NULL);
    Chan c;

    /* channel 2: DISABLED TRCA with a ring and DOORBELL 0x1e0 */
    tr_wr(qts, 2, TR_RING_LOW, tr_words[0]);
    tr_wr(qts, 2, TR_RING_LEN, tr_words[2]);
    tr_wr(qts, 2, DOORBELL, tr_words[3]);
    /* channel 3: WRITE_PTR 0x30 in a 256-slot event ring, then DISABLED */
    chan_setup(&c, qts, 3, 8, 256, true);
    for (unsigned i = 0; i < 3; i++) {
        chan_put(&c, TRE_MEMSET, 0, 64, 0, buf_addr(3, i));
    }
    chan_kick(&c);
    command(qts, TRCA_BASE(3), CMD_DISABLE);
    command(qts, EVCA_BASE(3), CMD_DISABLE);
    g_assert(wait_state(qts, EVCA_BASE(3), ST_DISABLED));
    g_assert_cmphex(ev_rd(qts, 3, EV_WRITE_PTR), ==, 0x30);
    ev_wr(qts, 3, EV_IRQ_EN, 0);

    qtest_qmp_assert_success(qts, "{ 'execute': 'migrate', "
                             "'arguments': { 'uri': %s } }", uri);
    wait_migration(qts);
    qtest_quit(qts);

    g_assert(g_file_get_contents(file, &stream, &len, NULL));
    for (int i = 0; i < 4; i++) {
        pat[i] = cpu_to_be32(words[i]);
    }
    at = memmem(stream, len, pat, sizeof(pat));
    g_assert(at);
    /* exactly one place */
    g_assert_null(memmem(at + 1, len - (at + 1 - stream), pat, sizeof(pat)));
    if (mp->to) {
        uint32_t v = cpu_to_be32(mp->to);

        memcpy(at + 4 * mp->word, &v, 4);
        g_assert(g_file_set_contents(file, stream, len, NULL));
    }

    qts = hidma_start("-incoming defer");
    qtest_qmp_assert_success(qts, "{ 'execute': 'migrate-incoming', "
                             "'arguments': { 'uri': %s } }", in_uri);
    if (!mp->to) {
        wait_migration(qts);
        g_assert_cmphex(tr_rd(qts, 2, DOORBELL), ==, 0x1e0);
        g_assert_cmphex(ev_rd(qts, 3, EV_WRITE_PTR), ==, 0x30);
    } else {
        /* post_load refuses the stream: the destination exits */
        for (int i = 0; i < 1000 && qtest_probe_child(qts); i++) {
            g_usleep(10000);
        }
        g_assert_false(qtest_probe_child(qts));
        qtest_set_expected_status(qts, 1);
    }
    unlink(file);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */
/* Guest errors: one prefix, findable with -d guest_errors -D file     */

static void test_guest_error_log(void)
{
    g_autofree char *log = g_strdup_printf("%s/qcom-hidma-log-%d",
                                           g_get_tmp_dir(), (int)getpid());
    g_autofree char *args = g_strdup_printf("-d guest_errors -D %s", log);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    QTestState *qts = hidma_start(args);
    unsigned count = 0;
    Chan c;

    /* one of each kind that needs no bad bus address */
    qtest_readb(qts, MGMT_BASE + CFG);                  /* width */
    mgmt_rd(qts, 0x404);                                /* unlisted */
    mgmt_wr(qts, HW_VERSION, 0);                        /* read only */
    mgmt_wr(qts, CFG, 0x3);                             /* reserved */
    mgmt_wr(qts, CHRESET_TIMEOUT, 0xfff00000);          /* reserved */
    mgmt_wr(qts, MAX_BUS_REQ_LEN, 0x00400040);          /* burst */
    mgmt_wr(qts, MAX_XACTIONS, 0x00200000);             /* reserved */
    mgmt_wr(qts, QOS(0), QOS_WEIGHT(0));                /* weight */
    tr_wr(qts, 0, TR_CHID, 1);                          /* read only */
    ev_wr(qts, 0, EV_IRQ_EN, 0x80000000);               /* cause */
    ev_wr(qts, 0, EV_INTCTRL, 7);                       /* mode */
    tr_wr(qts, 0, CTRLSTS, 0x7 << 16);                  /* command */
    tr_wr(qts, 0, CTRLSTS, 0x1);                        /* reserved */
    tr_wr(qts, 0, DOORBELL, 8);                         /* doorbell */
    command(qts, TRCA_BASE(0), CMD_ENABLE);             /* ring len 0 */
    qtest_clock_step(qts, 10 * CMD_DELAY_NS);
    chan_setup(&c, qts, 1, 8, 8, true);
    tr_wr(qts, 1, TR_RING_LEN, 0);                      /* ring frozen */
    chan_put(&c, 7, 0, 64, 0, buf_addr(1, 0));          /* TRE type */
    chan_kick(&c);
    command(qts, TRCA_BASE(1), CMD_ENABLE);             /* STOPPED */
    qtest_clock_step(qts, 10 * CMD_DELAY_NS);
    for (unsigned i = 0; i < 9; i++) {                  /* queue full */
        command(qts, EVCA_BASE(2), CMD_SUSPEND);
    }
    chan_setup(&c, qts, 3, 8, 8, true);
    ev_wr(qts, 3, DOORBELL, 16);                        /* past WRITE_PTR */
    qtest_quit(qts);

    g_assert(g_file_get_contents(log, &text, NULL, NULL));
    unlink(log);
    lines = g_strsplit(text, "\n", -1);
    for (unsigned i = 0; lines[i]; i++) {
        if (!*lines[i]) {
            continue;
        }
        if (!g_str_has_prefix(lines[i], "qcom-hidma: ")) {
            g_test_message("line without the prefix: %s", lines[i]);
            g_assert_not_reached();
        }
        count++;
    }
    g_assert_cmpuint(count, ==, 20);
    g_assert(strstr(text, "qcom-hidma: chan 2 evca: SUSPEND dropped"));
    g_assert(strstr(text, "qcom-hidma: chan 1: TRE type 7 unknown"));
    g_assert(strstr(text, "qcom-hidma: chan 3 evca: DOORBELL 0x10 passes "
                        "WRITE_PTR 0x0"));
}

/* ------------------------------------------------------------------ */
/* Behind the SMMUv3 (iommu=smmuv3): each channel has stream ID        */
/* msi-devid-base + n (0x100 + n by default)                           */

#define SMMU_BASE           0x09050000ULL
#define SMMU_CR0            0x20
#define SMMU_CR0ACK         0x24
#define SMMU_GERROR         0x60
#define SMMU_STRTAB_BASE    0x80
#define SMMU_STRTAB_CFG     0x88
#define SMMU_CMDQ_BASE      0x90
#define SMMU_CMDQ_PROD      0x98
#define SMMU_CMDQ_CONS      0x9c
#define SMMU_EVENTQ_BASE    0xa0
#define SMMU_EVENTQ_PROD    0xa8
#define SMMU_EVENTQ_CONS    0xac
#define SMMU_CR0_SMMUEN     (1u << 0)
#define SMMU_CR0_EVENTQEN   (1u << 2)
#define SMMU_CR0_CMDQEN     (1u << 3)
#define SMMU_EVT_C_BAD_STE  0x04
#define SMMU_EVT_F_TRANSL   0x10
#define SMMU_EVT_F_PERM     0x13
#define SMMU_CMD_CFGI_STE   0x03
#define SMMU_CMD_TLBI_ASID  0x11
#define SMMU_CMD_SYNC       0x46
#define SID(n)              (0x100u + (n))
#define SMMU_ASID           7
/* The SMMU's own tables, well away from the rings and data buffers */
#define SMMU_STRTAB         (RAM_BASE + 0x8000000) /* 512 STEs: 32 KiB */
#define SMMU_CD(n)          (RAM_BASE + 0x8010000 + 0x40 * (n))
#define SMMU_EVENTQ         (RAM_BASE + 0x8020000) /* 16 events */
#define SMMU_CMDQ           (RAM_BASE + 0x8021000) /* 16 commands */
#define SMMU_PT_POOL        (RAM_BASE + 0x8100000)
/* IOVAs the tests map, none of them RAM */
#define IOVA_SRC            0x10000000ULL
#define IOVA_DST            0x20000000ULL
#define IOVA_MSI            0x30000000ULL
#define IOVA_UNMAPPED       0x38000000ULL /* (read-only: mapped so) */

typedef struct Smmu {
    QTestState *qts;
    uint64_t ttb;               /* one level-1 table shared by all channels */
    uint64_t next_page;
    uint32_t cmdq_prod;
} Smmu;

static QTestState *hidma_smmu_start(void)
{
    return hidma_start("-machine iommu=smmuv3");
}

static uint64_t smmu_page(Smmu *m)
{
    uint64_t p = m->next_page;

    m->next_page += 0x1000;
    qtest_memset(m->qts, p, 0, 0x1000);
    return p;
}

/* Stage 1, 4 KiB granule, 39-bit input (T0SZ 25): levels 1 to 3. */
static void smmu_map(Smmu *m, uint64_t iova, uint64_t pa, bool writable)
{
    uint64_t table = m->ttb;

    for (int level = 1; level < 3; level++) {
        uint64_t slot = table + 8 * ((iova >> (39 - 9 * level)) & 0x1ff);
        uint64_t pte = qtest_readq(m->qts, slot);

        if (!(pte & 1)) {
            pte = smmu_page(m) | 3;
            qtest_writeq(m->qts, slot, pte);
        }
        table = pte & 0xfffffffff000ULL;
    }
    /* page, AF, AP[2] (bit 7) set for read-only */
    qtest_writeq(m->qts, table + 8 * ((iova >> 12) & 0x1ff),
                 (pa & 0xfffffffff000ULL) | 3 | (1u << 10) |
                 (writable ? 0 : 1u << 7));
}

static void smmu_map_range(Smmu *m, uint64_t iova, uint64_t pa, uint64_t len)
{
    for (uint64_t off = 0; off < len; off += 0x1000) {
        smmu_map(m, iova + off, pa + off, true);
    }
}

/* STE: valid, S1 translate (config 0b101), one CD; config 0b000: abort */
static void smmu_ste(Smmu *m, uint32_t sid, bool translate)
{
    uint64_t cd = SMMU_CD(sid & 0x1f);
    uint32_t ste[16] = { 0 };

    ste[0] = 1 | ((translate ? 5u : 0u) << 1) | ((uint32_t)cd & 0xffffffc0);
    ste[1] = cd >> 32;
    for (int i = 0; i < 16; i++) {
        ste[i] = cpu_to_le32(ste[i]);
    }
    qtest_memwrite(m->qts, SMMU_STRTAB + 64 * sid, ste, sizeof(ste));
}

/* CD: T0SZ 25, TG0 4K, EPD1, valid; IPS 48 bits, AA64, R, A; ASID */
static void smmu_cd(Smmu *m, uint32_t sid)
{
    uint32_t cd[16] = { 0 };

    cd[0] = 25 | (1u << 30) | (1u << 31);
    cd[1] = 5 | (1u << 9) | (1u << 13) | (1u << 14) |
            ((uint32_t)SMMU_ASID << 16);
    cd[2] = (uint32_t)m->ttb;
    cd[3] = m->ttb >> 32;
    for (int i = 0; i < 16; i++) {
        cd[i] = cpu_to_le32(cd[i]);
    }
    qtest_memwrite(m->qts, SMMU_CD(sid & 0x1f), cd, sizeof(cd));
}

static void smmu_wr(Smmu *m, uint32_t off, uint32_t val)
{
    qtest_writel(m->qts, SMMU_BASE + off, val);
}

static uint32_t smmu_rd(Smmu *m, uint32_t off)
{
    return qtest_readl(m->qts, SMMU_BASE + off);
}

/* Tables, queues and CR0 as a driver sets them; translation on or not. */
static void smmu_setup(Smmu *m, QTestState *qts, bool enable)
{
    uint32_t cr0 = SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN |
                   (enable ? SMMU_CR0_SMMUEN : 0);

    m->qts = qts;
    m->next_page = SMMU_PT_POOL;
    m->cmdq_prod = 0;
    m->ttb = smmu_page(m);
    qtest_memset(qts, SMMU_STRTAB, 0, 512 * 64);
    qtest_memset(qts, SMMU_EVENTQ, 0, 16 * 32);
    qtest_writeq(qts, SMMU_BASE + SMMU_STRTAB_BASE, SMMU_STRTAB);
    smmu_wr(m, SMMU_STRTAB_CFG, 9);             /* linear, 512 STEs */
    qtest_writeq(qts, SMMU_BASE + SMMU_EVENTQ_BASE, SMMU_EVENTQ | 4);
    qtest_writeq(qts, SMMU_BASE + SMMU_CMDQ_BASE, SMMU_CMDQ | 4);
    smmu_wr(m, SMMU_CR0, cr0);
    g_assert_cmphex(smmu_rd(m, SMMU_CR0ACK), ==, cr0);
}

/* Channel n translated: its rings mapped at their own addresses. */
static void smmu_attach(Smmu *m, unsigned n)
{
    smmu_cd(m, SID(n));
    smmu_ste(m, SID(n), true);
    smmu_map_range(m, chan_area(n), chan_area(n), 0x1000);
    smmu_map_range(m, chan_area(n) + 0x80000, chan_area(n) + 0x80000, 0x1000);
}

static void smmu_cmd(Smmu *m, uint32_t w0, uint32_t w1)
{
    uint32_t cmd[4] = { cpu_to_le32(w0), cpu_to_le32(w1), 0, 0 };

    qtest_memwrite(m->qts, SMMU_CMDQ + 16 * (m->cmdq_prod & 15), cmd,
                   sizeof(cmd));
    m->cmdq_prod = (m->cmdq_prod + 1) & 0x1f;   /* index and wrap bit */
    smmu_wr(m, SMMU_CMDQ_PROD, m->cmdq_prod);
    g_assert_cmphex(smmu_rd(m, SMMU_CMDQ_CONS), ==, m->cmdq_prod);
    g_assert_cmphex(smmu_rd(m, SMMU_GERROR), ==, 0);
}

/*
 * The event queue holds at least one event and only events of this type
 * from this stream ID, the first on address first (translation faults),
 * the others within len bytes of it: QEMU translates a failing access in
 * bus-sized pieces, each recording its own event.
 */
static void assert_smmu_events(Smmu *m, uint32_t type, uint32_t sid,
                               uint64_t first, uint64_t len)
{
    uint32_t count = MIN(smmu_rd(m, SMMU_EVENTQ_PROD) & 0x1f, 16);
    bool addr = type == SMMU_EVT_F_TRANSL || type == SMMU_EVT_F_PERM;

    g_assert_cmpuint(count, >=, 1);
    for (uint32_t i = 0; i < count; i++) {
        uint64_t e = SMMU_EVENTQ + 32 * i;
        uint64_t a = qtest_readq(m->qts, e + 16);

        g_assert_cmphex(qtest_readl(m->qts, e) & 0xff, ==, type);
        g_assert_cmphex(qtest_readl(m->qts, e + 4), ==, sid);
        if (addr && i == 0) {
            g_assert_cmphex(a, ==, first);
        } else if (addr) {
            g_assert_cmphex(a - first, <, len);
        }
    }
}

/* One memcpy of len bytes on an enabled channel; the EVRE word 0 it got */
static uint32_t smmu_copy(Chan *c, uint64_t src, uint64_t dst, uint32_t len)
{
    uint32_t slot = chan_put(c, TRE_MEMCPY, TRE_IEOB, len, src, dst);

    chan_kick(c);
    return evre_word(c, slot / TRE_SIZE * EVRE_SIZE, 0);
}

static void test_smmu_translate(void)
{
    QTestState *qts = hidma_smmu_start();
    const unsigned n = 3;
    const uint32_t len = 0x2000 + 40;
    uint64_t src = buf_addr(n, 0), dst = buf_addr(n, 2);
    uint64_t msi = RAM_BASE + 0x30000;
    Smmu m;
    Chan c;

    smmu_setup(&m, qts, true);
    smmu_attach(&m, n);
    smmu_map_range(&m, IOVA_SRC, src, 0x3000);
    smmu_map_range(&m, IOVA_DST, dst, 0x3000);
    smmu_map(&m, IOVA_MSI, msi, true);
    chan_setup(&c, qts, n, 16, 16, true);

    fill(qts, src, len, 0x21);
    qtest_memset(qts, dst, 0xee, 0x3000);
    g_assert_cmphex(smmu_copy(&c, IOVA_SRC + 8, IOVA_DST + 16, len), ==,
                    EVRE_OK);
    assert_same(qts, src + 8, dst + 16, len);
    assert_fill(qts, dst, 16, 0xee);
    assert_fill(qts, dst + 16 + len, 0x3000 - 16 - len, 0xee);
    g_assert_cmpuint(qom_u64(qts, "chan%u-bytes", n), ==, len);
    g_assert_cmpuint(smmu_rd(&m, SMMU_EVENTQ_PROD), ==, 0);

    /* the MSI goes through the SMMU too: IOVA_MSI lands at msi */
    qtest_writel(qts, msi, 0);
    ev_wr(qts, n, EV_INTCTRL, 0);
    ev_wr(qts, n, EV_MSI_ADDR_LO, (uint32_t)IOVA_MSI);
    ev_wr(qts, n, EV_MSI_ADDR_HI, IOVA_MSI >> 32);
    ev_wr(qts, n, EV_MSI_DATA, 0x50);
    g_assert_cmphex(smmu_copy(&c, IOVA_SRC, IOVA_DST, 64), ==, EVRE_OK);
    g_assert_cmphex(qtest_readl(qts, msi), ==, 0x50 + CAUSE_EOB);
    g_assert_cmpuint(smmu_rd(&m, SMMU_EVENTQ_PROD), ==, 0);
    qtest_quit(qts);
}

typedef struct SmmuFaultCase {
    const char *name;
    bool read;                  /* the source is unmapped, else the dest */
    bool read_only;             /* the dest is mapped, but read-only */
} SmmuFaultCase;

static const SmmuFaultCase smmu_fault_cases[] = {
    { "read", true, false },
    { "write", false, false },
    { "write-read-only", false, true },
};

static void test_smmu_fault(const void *data)
{
    const SmmuFaultCase *fc = data;
    QTestState *qts = hidma_smmu_start();
    const unsigned n = 2;
    uint32_t cause = fc->read ? CAUSE_DATA_RD : CAUSE_DATA_WR;
    uint64_t src = fc->read ? IOVA_UNMAPPED : IOVA_SRC;
    uint64_t dst = fc->read ? IOVA_DST : IOVA_UNMAPPED;
    Smmu m;
    Chan c;

    smmu_setup(&m, qts, true);
    smmu_attach(&m, n);
    smmu_map_range(&m, IOVA_SRC, buf_addr(n, 0), 0x1000);
    smmu_map_range(&m, IOVA_DST, buf_addr(n, 1), 0x1000);
    if (fc->read_only) {
        dst = IOVA_UNMAPPED;
        smmu_map(&m, dst, buf_addr(n, 2), false);
        qtest_memset(qts, buf_addr(n, 2), 0xee, 0x1000);
    }
    chan_setup(&c, qts, n, 16, 16, true);

    g_assert_cmphex(smmu_copy(&c, src, dst, 256), ==, EVRE_ERR(cause));
    g_assert_cmphex(ev_rd(qts, n, EV_IRQ_STAT), ==, 1u << cause);
    g_assert_cmpuint(state_of(qts, TRCA_BASE(n)), ==, ST_STOPPED);
    g_assert_cmpuint(qom_u64(qts, "chan%u-errors", n), ==, 1);
    if (fc->read_only) {
        assert_fill(qts, buf_addr(n, 2), 0x1000, 0xee);
    }
    /* events from this channel's stream, on the faulting addresses */
    assert_smmu_events(&m, fc->read_only ? SMMU_EVT_F_PERM : SMMU_EVT_F_TRANSL,
                       SID(n), IOVA_UNMAPPED, 256);

    /* the channel recovers alone once reset: a good copy works again */
    chan_reset(&c);
    chan_program(&c);
    chan_enable(&c);
    g_assert_cmphex(smmu_copy(&c, IOVA_SRC, IOVA_DST, 256), ==, EVRE_OK);
    assert_same(qts, buf_addr(n, 0), buf_addr(n, 1), 256);
    qtest_quit(qts);
}

/* A channel whose stream has no valid STE: its TRE read fails, BAD_STE. */
static void test_smmu_own_stream(void)
{
    QTestState *qts = hidma_smmu_start();
    Smmu m;
    Chan a, b;

    smmu_setup(&m, qts, true);
    smmu_attach(&m, 1);
    smmu_map_range(&m, IOVA_SRC, buf_addr(1, 0), 0x1000);
    smmu_map_range(&m, IOVA_DST, buf_addr(1, 1), 0x1000);
    chan_setup(&a, qts, 1, 16, 16, true);
    chan_setup(&b, qts, 4, 16, 16, true);

    /* channel 4 has no STE: nothing it reads or writes gets through */
    chan_put(&b, TRE_MEMCPY, TRE_IEOB, 64, IOVA_SRC, IOVA_DST);
    chan_kick(&b);
    g_assert_cmphex(ev_rd(qts, 4, EV_IRQ_STAT), ==,
                    (1u << CAUSE_TRE_RD) | (1u << CAUSE_EVENT_WR));
    /* events for the TRE read and the EVRE write, all from its stream */
    assert_smmu_events(&m, SMMU_EVT_C_BAD_STE, SID(4), 0, 0);

    /* channel 1, attached, is not disturbed */
    fill(qts, buf_addr(1, 0), 64, 0x77);
    g_assert_cmphex(smmu_copy(&a, IOVA_SRC, IOVA_DST, 64), ==, EVRE_OK);
    assert_same(qts, buf_addr(1, 0), buf_addr(1, 1), 64);
    qtest_quit(qts);
}

/* CFGI_STE by stream ID and TLBI by ASID reach a channel's cached state. */
static void test_smmu_invalidate(void)
{
    QTestState *qts = hidma_smmu_start();
    const unsigned n = 0;
    uint64_t old_dst = buf_addr(n, 1), new_dst = buf_addr(n, 2);
    Smmu m;
    Chan c;

    smmu_setup(&m, qts, true);
    smmu_attach(&m, n);
    smmu_map_range(&m, IOVA_SRC, buf_addr(n, 0), 0x1000);
    smmu_map_range(&m, IOVA_DST, old_dst, 0x1000);
    chan_setup(&c, qts, n, 16, 16, true);
    fill(qts, buf_addr(n, 0), 128, 0x33);
    qtest_memset(qts, old_dst, 0xee, 0x1000);
    qtest_memset(qts, new_dst, 0xee, 0x1000);
    g_assert_cmphex(smmu_copy(&c, IOVA_SRC, IOVA_DST, 128), ==, EVRE_OK);
    assert_same(qts, buf_addr(n, 0), old_dst, 128);

    /* remapped: the old translation holds until the ASID's TLBI */
    qtest_memset(qts, old_dst, 0xee, 0x1000);
    smmu_map(&m, IOVA_DST, new_dst, true);
    g_assert_cmphex(smmu_copy(&c, IOVA_SRC, IOVA_DST, 128), ==, EVRE_OK);
    assert_same(qts, buf_addr(n, 0), old_dst, 128);
    assert_fill(qts, new_dst, 128, 0xee);
    qtest_memset(qts, old_dst, 0xee, 0x1000);
    smmu_cmd(&m, SMMU_CMD_TLBI_ASID, (uint32_t)SMMU_ASID << 16);
    smmu_cmd(&m, SMMU_CMD_SYNC, 0);
    g_assert_cmphex(smmu_copy(&c, IOVA_SRC, IOVA_DST, 128), ==, EVRE_OK);
    assert_same(qts, buf_addr(n, 0), new_dst, 128);
    assert_fill(qts, old_dst, 128, 0xee);

    /*
     * STE made abort: the cached configuration holds through a CFGI_STE
     * of another channel's stream, and goes with this one's.
     */
    smmu_ste(&m, SID(n), false);
    smmu_cmd(&m, SMMU_CMD_CFGI_STE, SID(n + 1));
    smmu_cmd(&m, SMMU_CMD_SYNC, 0);
    g_assert_cmphex(smmu_copy(&c, IOVA_SRC, IOVA_DST, 128), ==, EVRE_OK);
    smmu_cmd(&m, SMMU_CMD_CFGI_STE, SID(n));
    smmu_cmd(&m, SMMU_CMD_SYNC, 0);
    chan_put(&c, TRE_MEMCPY, TRE_IEOB, 128, IOVA_SRC, IOVA_DST);
    chan_kick(&c);
    g_assert_cmphex(ev_rd(qts, n, EV_IRQ_STAT) &
                    ((1u << CAUSE_TRE_RD) | (1u << CAUSE_EVENT_WR)), ==,
                    (1u << CAUSE_TRE_RD) | (1u << CAUSE_EVENT_WR));
    g_assert_cmpuint(state_of(qts, TRCA_BASE(n)), ==, ST_STOPPED);
    /* an abort STE records no event */
    g_assert_cmpuint(smmu_rd(&m, SMMU_EVENTQ_PROD), ==, 0);
    qtest_quit(qts);
}

/* SMMU present but disabled: channels' accesses pass untranslated. */
static void test_smmu_bypass(void)
{
    QTestState *qts = hidma_smmu_start();
    const unsigned n = 5;
    uint64_t src = buf_addr(n, 0), dst = buf_addr(n, 1);
    Smmu m;
    Chan c;

    smmu_setup(&m, qts, false);
    chan_setup(&c, qts, n, 16, 16, true);
    fill(qts, src, 4096, 0x44);
    qtest_memset(qts, dst, 0xee, 4096 + 16);
    g_assert_cmphex(smmu_copy(&c, src, dst, 4096), ==, EVRE_OK);
    assert_same(qts, src, dst, 4096);
    assert_fill(qts, dst + 4096, 16, 0xee);
    g_assert_cmpuint(smmu_rd(&m, SMMU_EVENTQ_PROD), ==, 0);
    qtest_quit(qts);
}

/* ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();

    for (unsigned i = 0; i < ARRAY_SIZE(rev_cases); i++) {
        g_autofree char *reset = g_strdup_printf("/qcom-hidma/reset-values/%s",
                                                 rev_cases[i].rev);
        qtest_add_data_func(reset, &rev_cases[i], test_reset_values);
        if (rev_cases[i].msi) {
            g_autofree char *msi = g_strdup_printf("/qcom-hidma/irq/msi/%s",
                                                   rev_cases[i].rev);
            qtest_add_data_func(msi, &rev_cases[i], test_msi);
        }
    }
    qtest_add_func("/qcom-hidma/default-revision", test_default_revision);
    qtest_add_func("/qcom-hidma/properties", test_properties);
    qtest_add_func("/qcom-hidma/read-only", test_read_only);
    qtest_add_func("/qcom-hidma/registers-rw", test_registers_rw);
    qtest_add_func("/qcom-hidma/device-reset", test_device_reset);
    qtest_add_func("/qcom-hidma/memcpy", test_memcpy);
    qtest_add_func("/qcom-hidma/memset", test_memset);
    qtest_add_func("/qcom-hidma/irq/wired", test_irq_wired);
    qtest_add_func("/qcom-hidma/irq/wired-rev1.0", test_irq_wired_rev10);
    qtest_add_func("/qcom-hidma/state-machine", test_state_machine);
    for (unsigned i = 0; i < ARRAY_SIZE(enable_cases); i++) {
        g_autofree char *name = g_strdup_printf("/qcom-hidma/enable/%s",
                                                enable_cases[i].name);
        qtest_add_data_func(name, &enable_cases[i], test_enable_validation);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(err_cases); i++) {
        g_autofree char *name = g_strdup_printf("/qcom-hidma/error/%s",
                                                err_cases[i].name);
        qtest_add_data_func(name, &err_cases[i], test_error);
    }
    qtest_add_func("/qcom-hidma/error/fault-knob-values",
                   test_fault_knob_values);
    qtest_add_func("/qcom-hidma/ring-wrap", test_ring_wrap);
    qtest_add_func("/qcom-hidma/event-ring-full", test_event_ring_full);
    qtest_add_func("/qcom-hidma/reset-hang", test_reset_hang);
    qtest_add_func("/qcom-hidma/statistics", test_statistics);
    qtest_add_func("/qcom-hidma/qos/weights", test_qos_weights);
    qtest_add_func("/qcom-hidma/qos/weight-zero", test_qos_weight_zero);
    qtest_add_func("/qcom-hidma/qos/priority", test_qos_priority);
    qtest_add_func("/qcom-hidma/qos/interleave", test_qos_interleave);
    qtest_add_func("/qcom-hidma/qos/large-bandwidth",
                   test_qos_large_bandwidth);
    qtest_add_func("/qcom-hidma/migration", test_migration);
    qtest_add_func("/qcom-hidma/guest-errors", test_guest_errors);
    qtest_add_func("/qcom-hidma/guest-errors/log-prefix",
                   test_guest_error_log);
    qtest_add_func("/qcom-hidma/commands/queue", test_cmd_queue);
    qtest_add_func("/qcom-hidma/commands/reset-disabled",
                   test_cmd_reset_disabled);
    qtest_add_func("/qcom-hidma/commands/stop-with-work",
                   test_cmd_stop_with_work);
    qtest_add_func("/qcom-hidma/reset-timeout", test_reset_timeout);
    qtest_add_func("/qcom-hidma/qos/write-burst", test_qos_write_burst);
    qtest_add_func("/qcom-hidma/qos/weights-bytes", test_qos_weights_bytes);
    qtest_add_func("/qcom-hidma/qos/zero-byte-step",
                   test_qos_zero_byte_step);
    qtest_add_func("/qcom-hidma/qos/xactions", test_qos_xactions);
    qtest_add_func("/qcom-hidma/engine-yields", test_engine_yields);
    qtest_add_func("/qcom-hidma/statistics/registers", test_reg_stats);
    qtest_add_func("/qcom-hidma/smmu/translate", test_smmu_translate);
    for (unsigned i = 0; i < ARRAY_SIZE(smmu_fault_cases); i++) {
        g_autofree char *name = g_strdup_printf("/qcom-hidma/smmu/fault/%s",
                                                smmu_fault_cases[i].name);
        qtest_add_data_func(name, &smmu_fault_cases[i], test_smmu_fault);
    }
    qtest_add_func("/qcom-hidma/smmu/own-stream", test_smmu_own_stream);
    qtest_add_func("/qcom-hidma/smmu/invalidate", test_smmu_invalidate);
    qtest_add_func("/qcom-hidma/smmu/bypass", test_smmu_bypass);
    for (unsigned i = 0; i < ARRAY_SIZE(mig_patches); i++) {
        g_autofree char *name = g_strdup_printf("/qcom-hidma/migration/"
                                                "checked/%s",
                                                mig_patches[i].name);
        qtest_add_data_func(name, &mig_patches[i], test_migration_checked);
    }

    return g_test_run();
}
