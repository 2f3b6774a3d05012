/*
 * QEMU model of the Qualcomm Technologies HIDMA engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The contract this model implements, and every behaviour it leaves open
 * with what this model does, are in the project's
 * Documentation/virtual-platform.rst ("Model choices").
 *
 * Structure:
 *  - MMIO handlers only store registers and start things: a CTRLSTS
 *    command joins its block's command FIFO (completed in order, each
 *    cmd-delay-ns of virtual time after the previous one; see the header),
 *    a doorbell makes a channel runnable.
 *  - All data movement happens in the engine timer, which arbitrates bursts
 *    among runnable channels (strict priority, then weighted round robin
 *    counted in bursts moved, bounded by MAX_XACTIONS back-to-back bursts)
 *    and, with a bandwidth limit, paces them in virtual time. Each engine
 *    callback does a bounded amount of work and re-arms itself at least
 *    1 ns later, so that whatever the clock, QEMU's main loop (monitor,
 *    qtest, vCPUs) runs between two callbacks.
 *  - Every guest mistake is logged with hidma_guest_error(), which prefixes
 *    "qcom-hidma: " (LOG_GUEST_ERROR, shown with -d guest_errors).
 *  - hidma_update() runs after every state change: it accounts busy time,
 *    recomputes every wired interrupt line (hidma_chan_update_irq() is the
 *    only place a line is computed) and kicks the engine.
 */

#include "qemu/osdep.h"
#include "hw/dma/qcom_hidma.h"
#include "exec/address-spaces.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "migration/vmstate.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/bitops.h"
#include "qemu/host-utils.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "sysemu/dma.h"
#include "trace.h"

/* Every guest error of the model: one greppable prefix. */
#define hidma_guest_error(fmt, ...) \
    qemu_log_mask(LOG_GUEST_ERROR, "qcom-hidma: " fmt, ## __VA_ARGS__)

/* Management block */
REG32(CFG, 0x400)
    FIELD(CFG, ENABLE, 0, 1)
REG32(CHRESET_TIMEOUT, 0x418)
    FIELD(CHRESET_TIMEOUT, CYCLES, 0, 20)
REG32(MAX_BUS_REQ_LEN, 0x41c)
    FIELD(MAX_BUS_REQ_LEN, WR, 16, 16)
    FIELD(MAX_BUS_REQ_LEN, RD, 0, 16)
REG32(MAX_XACTIONS, 0x420)
    FIELD(MAX_XACTIONS, WR, 16, 5)
    FIELD(MAX_XACTIONS, RD, 0, 5)
REG32(HW_VERSION, 0x424)
    FIELD(HW_VERSION, MAJOR, 28, 4)
    FIELD(HW_VERSION, MINOR, 16, 4)
REG32(QOS0, 0x700)
    FIELD(QOS, WEIGHT, 8, 7)
    FIELD(QOS, PRIORITY, 15, 1)

#define HIDMA_QOS_LAST          (A_QOS0 + 4 * (QCOM_HIDMA_MAX_CHANNELS - 1))
#define HIDMA_BURST_MIN         128
#define HIDMA_WEIGHT_MAX        15

/* Reset values (what boot firmware leaves, per the contract) */
#define HIDMA_CHRESET_TIMEOUT_RESET     0x500
#define HIDMA_MAX_BUS_REQ_LEN_RESET     0x04000400  /* 1024 / 1024 */
#define HIDMA_MAX_XACTIONS_RESET        0x001f001f  /* 31 / 31 */
#define HIDMA_QOS_RESET                 (1 << R_QOS_WEIGHT_SHIFT)

/* Both channel blocks */
REG32(CTRLSTS, 0x000)
    FIELD(CTRLSTS, STATE, 8, 8)
    FIELD(CTRLSTS, COMMAND, 16, 8)

enum HidmaCommand {
    HIDMA_CMD_DISABLE = 0,
    HIDMA_CMD_ENABLE = 1,
    HIDMA_CMD_SUSPEND = 2,
    HIDMA_CMD_RESET = 9,
};

enum HidmaChanState {
    HIDMA_STATE_DISABLED = 0,
    HIDMA_STATE_ENABLED = 1,
    HIDMA_STATE_RUNNING = 2,
    HIDMA_STATE_SUSPENDED = 3,
    HIDMA_STATE_STOPPED = 4,
    HIDMA_STATE_NUM
};

/* TRCA (transfer channel) */
REG32(TRCA_RING_LOW, 0x008)
REG32(TRCA_RING_HIGH, 0x00c)
REG32(TRCA_RING_LEN, 0x010)
REG32(TRCA_CHID, 0x028)             /* revisions 1.0 and 1.1 */
REG32(TRCA_CHID_V12, 0x040)         /* revision 1.2 */
REG32(TRCA_DOORBELL, 0x400)

/* EVCA (event channel) */
REG32(EVCA_INTCTRL, 0x004)
    FIELD(EVCA_INTCTRL, MODE, 0, 4)
REG32(EVCA_RING_LOW, 0x008)
REG32(EVCA_RING_HIGH, 0x00c)
REG32(EVCA_RING_LEN, 0x010)
REG32(EVCA_WRITE_PTR, 0x020)
REG32(EVCA_IRQ_STAT, 0x100)
REG32(EVCA_IRQ_CLR, 0x108)
REG32(EVCA_IRQ_EN, 0x110)
REG32(EVCA_MSI_ADDR_LO, 0x118)
REG32(EVCA_MSI_ADDR_HI, 0x11c)
REG32(EVCA_MSI_DATA, 0x120)
REG32(EVCA_DOORBELL, 0x400)

enum HidmaIntMode {
    HIDMA_INTMODE_MSI = 0,
    HIDMA_INTMODE_WIRED = 1,
};

/* Interrupt causes: IRQ_STAT / IRQ_CLR / IRQ_EN bit numbers */
enum HidmaCause {
    HIDMA_CAUSE_EOB = 0,
    HIDMA_CAUSE_EVENT_WR = 1,
    HIDMA_CAUSE_TRE_RD = 9,
    HIDMA_CAUSE_DATA_RD = 10,
    HIDMA_CAUSE_DATA_WR = 11,
    HIDMA_CAUSE_INVALID_TRE = 14,
};

#define HIDMA_CAUSES_ALL   (BIT(HIDMA_CAUSE_EOB) | BIT(HIDMA_CAUSE_EVENT_WR) | \
                            BIT(HIDMA_CAUSE_TRE_RD) |                          \
                            BIT(HIDMA_CAUSE_DATA_RD) |                         \
                            BIT(HIDMA_CAUSE_DATA_WR) |                         \
                            BIT(HIDMA_CAUSE_INVALID_TRE))

/*
 * TRE, transfer ring element: eight little-endian words, 32 bytes, read
 * from the transfer ring and copied to QcomHidmaChan.tre before parsing.
 */
enum HidmaTreWord {
    TRE_W_CFG = 0,
    TRE_W_LEN = 1,
    TRE_W_SRC_LO = 2,       /* memset: pattern low */
    TRE_W_SRC_HI = 3,       /* memset: pattern high */
    TRE_W_DST_LO = 4,
    TRE_W_DST_HI = 5,
};
FIELD(TRE_CFG, TYPE, 0, 8)
FIELD(TRE_CFG, CHID, 8, 8)
FIELD(TRE_CFG, IEOB, 16, 1)

enum HidmaTreType {
    HIDMA_TRE_MEMCPY = 3,
    HIDMA_TRE_MEMSET = 4,
};

/* EVRE, event ring element: four little-endian words, 16 bytes */
FIELD(EVRE_W0, ERR_INFO, 24, 4)
FIELD(EVRE_W0, CODE, 28, 4)

enum HidmaEvreCode {
    HIDMA_EVRE_SUCCESS = 1,
    HIDMA_EVRE_ERROR = 4,
};

/*
 * With no bandwidth limit the engine runs as fast as it can, but one timer
 * callback moves at most this much before it re-arms itself, so that the
 * main loop (and vCPUs waiting for the BQL) keep running.
 */
#define HIDMA_RUN_MAX_BYTES     (64 * KiB)
#define HIDMA_RUN_MAX_STEPS     256

/* Commands complete within an hour of virtual time, or the property is bad */
#define HIDMA_CMD_DELAY_MAX_NS  (3600 * NANOSECONDS_PER_SECOND)

static const char *const hidma_state_names[HIDMA_STATE_NUM] = {
    [HIDMA_STATE_DISABLED] = "DISABLED",
    [HIDMA_STATE_ENABLED] = "ENABLED",
    [HIDMA_STATE_RUNNING] = "RUNNING",
    [HIDMA_STATE_SUSPENDED] = "SUSPENDED",
    [HIDMA_STATE_STOPPED] = "STOPPED",
};

static const char *const hidma_fault_names[] = {
    [QCOM_HIDMA_FAULT_NONE] = "none",
    [QCOM_HIDMA_FAULT_DATA_READ] = "data-read",
    [QCOM_HIDMA_FAULT_DATA_WRITE] = "data-write",
    [QCOM_HIDMA_FAULT_EVENT_WRITE] = "event-write",
};

static const char *hidma_state_name(uint32_t state)
{
    return state < HIDMA_STATE_NUM ? hidma_state_names[state] : "?";
}

static const char *hidma_cmd_name(uint32_t cmd)
{
    switch (cmd) {
    case HIDMA_CMD_DISABLE:
        return "DISABLE";
    case HIDMA_CMD_ENABLE:
        return "ENABLE";
    case HIDMA_CMD_SUSPEND:
        return "SUSPEND";
    case HIDMA_CMD_RESET:
        return "RESET";
    default:
        return "?";
    }
}

static bool hidma_cmd_valid(uint32_t cmd)
{
    return cmd == HIDMA_CMD_DISABLE || cmd == HIDMA_CMD_ENABLE ||
           cmd == HIDMA_CMD_SUSPEND || cmd == HIDMA_CMD_RESET;
}

static int64_t hidma_now(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static bool hidma_msi_capable(QcomHidmaState *s)
{
    return s->rev != QCOM_HIDMA_REV_1_0;
}

/* Revision 1.0 uses its wired line whatever INTCTRL says. */
static bool hidma_chan_wired(QcomHidmaChan *ch)
{
    return !hidma_msi_capable(ch->s) ||
           FIELD_EX32(ch->intctrl, EVCA_INTCTRL, MODE) != HIDMA_INTMODE_MSI;
}

static uint64_t hidma_tr_ring_base(QcomHidmaChan *ch)
{
    return deposit64(ch->tr_ring_low, 32, 32, ch->tr_ring_high);
}

static uint64_t hidma_ev_ring_base(QcomHidmaChan *ch)
{
    return deposit64(ch->ev_ring_low, 32, 32, ch->ev_ring_high);
}

/* A MAX_BUS_REQ_LEN field made legal: 128..1024, a power of two. */
static uint32_t hidma_burst_legalize(uint32_t bytes)
{
    return pow2floor(MIN(MAX(bytes, HIDMA_BURST_MIN), QCOM_HIDMA_MAX_BURST));
}

static bool hidma_tre_is_memcpy(QcomHidmaChan *ch)
{
    return FIELD_EX32(ch->tre[TRE_W_CFG], TRE_CFG, TYPE) == HIDMA_TRE_MEMCPY;
}

/*
 * The largest burst for the TRE in flight. A memset only writes, in write
 * bursts (MAX_BUS_REQ_LEN.WR). A memcpy burst reads bytes and writes the
 * same bytes, so both fields bound it.
 */
static uint32_t hidma_tre_burst_max(QcomHidmaChan *ch)
{
    uint32_t req = ch->s->max_bus_req_len;
    uint32_t wr = hidma_burst_legalize(FIELD_EX32(req, MAX_BUS_REQ_LEN, WR));
    uint32_t rd = hidma_burst_legalize(FIELD_EX32(req, MAX_BUS_REQ_LEN, RD));

    return hidma_tre_is_memcpy(ch) ? MIN(rd, wr) : wr;
}

/* The next burst of the TRE in flight: the largest one, or what is left */
static uint32_t hidma_tre_next_burst(QcomHidmaChan *ch)
{
    return MIN(hidma_tre_burst_max(ch), ch->tre[TRE_W_LEN] - ch->tre_done);
}

/* Back-to-back bursts one grant allows: a MAX_XACTIONS field, 0 acting as 1 */
static uint32_t hidma_xactions_rd(QcomHidmaState *s)
{
    return MAX(FIELD_EX32(s->max_xactions, MAX_XACTIONS, RD), 1);
}

static uint32_t hidma_xactions_wr(QcomHidmaState *s)
{
    return MAX(FIELD_EX32(s->max_xactions, MAX_XACTIONS, WR), 1);
}

static int hidma_chan_priority(QcomHidmaChan *ch)
{
    return FIELD_EX32(ch->s->qos[ch->index], QOS, PRIORITY);
}

static uint32_t hidma_chan_weight(QcomHidmaChan *ch)
{
    uint32_t w = FIELD_EX32(ch->s->qos[ch->index], QOS, WEIGHT);

    return MIN(MAX(w, 1), HIDMA_WEIGHT_MAX);
}

/* ------------------------------------------------------------------ */
/* Interrupts                                                          */

/* The only place a channel's wired line is computed. */
static void hidma_chan_update_irq(QcomHidmaChan *ch)
{
    bool level = hidma_chan_wired(ch) && (ch->irq_stat & ch->irq_en);

    trace_qcom_hidma_irq(ch->index, level);
    qemu_set_irq(ch->irq, level);
}

static void hidma_chan_send_msi(QcomHidmaChan *ch, unsigned cause)
{
    QcomHidmaState *s = ch->s;
    uint64_t addr = deposit64(ch->msi_addr_lo, 32, 32, ch->msi_addr_hi);
    uint32_t data = ch->msi_data + cause;
    MemTxAttrs attrs = {
        /* The GICv3 ITS takes the DeviceID from the requester ID. */
        .requester_id = s->msi_devid_base + ch->index,
    };
    MemTxResult res;

    if (addr == 0 || (addr & 3)) {
        hidma_guest_error("chan %u: MSI for cause %u not sent: "
                          "MSI address 0x%" PRIx64 " unset or misaligned\n",
                          ch->index, cause, addr);
        return;
    }
    trace_qcom_hidma_msi(ch->index, addr, data, attrs.requester_id);
    address_space_stl_le(&ch->dma_as, addr, data, attrs, &res);
    if (res != MEMTX_OK) {
        hidma_guest_error("chan %u: MSI write to 0x%" PRIx64
                          " failed\n", ch->index, addr);
    }
}

/*
 * Raise interrupt causes. In MSI mode every cause raised while its enable
 * bit is set sends one MSI (MSI_DATA + cause), whether or not the cause was
 * already pending.
 */
static void hidma_chan_raise(QcomHidmaChan *ch, uint32_t causes)
{
    ch->irq_stat |= causes;
    if (!hidma_chan_wired(ch)) {
        uint32_t msis = causes & ch->irq_en;

        while (msis) {
            unsigned cause = ctz32(msis);

            msis &= msis - 1;
            hidma_chan_send_msi(ch, cause);
        }
    }
    hidma_chan_update_irq(ch);
}

/* ------------------------------------------------------------------ */
/* Channel state                                                       */

static bool hidma_tr_has_work(QcomHidmaChan *ch)
{
    return ch->tre_phase != QCOM_HIDMA_TRE_IDLE ||
           ch->tr_read_off != ch->tr_doorbell;
}

/* STATE as software sees it: ENABLED becomes RUNNING while there is work. */
static uint32_t hidma_tr_visible_state(QcomHidmaChan *ch)
{
    if (ch->tr_state == HIDMA_STATE_ENABLED && hidma_tr_has_work(ch)) {
        return HIDMA_STATE_RUNNING;
    }
    return ch->tr_state;
}

static bool hidma_cmdq_has(QcomHidmaCmdQueue *q, uint8_t cmd)
{
    for (uint32_t i = 0; i < q->len; i++) {
        if (q->cmd[i] == cmd) {
            return true;
        }
    }
    return false;
}

/*
 * May the channel make progress at all? Not while a RESET of either block
 * is queued, nor after a RESET failed until the block's next command.
 */
static bool hidma_chan_gate(QcomHidmaChan *ch)
{
    return FIELD_EX32(ch->s->cfg, CFG, ENABLE) &&
           ch->tr_state == HIDMA_STATE_ENABLED &&
           ch->ev_state == HIDMA_STATE_ENABLED &&
           !ch->trq.halted && !ch->evq.halted &&
           !hidma_cmdq_has(&ch->trq, HIDMA_CMD_RESET) &&
           !hidma_cmdq_has(&ch->evq, HIDMA_CMD_RESET);
}

static bool hidma_ev_ring_full(QcomHidmaChan *ch)
{
    uint32_t next = (ch->write_ptr + QCOM_HIDMA_EVRE_SIZE) % ch->ev_ring_len;

    return next == ch->ev_doorbell;
}

/* Can the arbiter give this channel a burst now? */
static bool hidma_chan_runnable(QcomHidmaChan *ch)
{
    if (!hidma_chan_gate(ch)) {
        return false;
    }
    switch (ch->tre_phase) {
    case QCOM_HIDMA_TRE_DATA:
        return true;
    case QCOM_HIDMA_TRE_EVENT:
        return !hidma_ev_ring_full(ch);
    default:
        /* A queued SUSPEND or DISABLE stops fetching new TREs. */
        return ch->tr_read_off != ch->tr_doorbell &&
               !hidma_cmdq_has(&ch->trq, HIDMA_CMD_SUSPEND) &&
               !hidma_cmdq_has(&ch->trq, HIDMA_CMD_DISABLE);
    }
}

/* chanN-busy-ns: virtual time the channel had work it was allowed to do. */
static void hidma_chan_update_busy(QcomHidmaChan *ch, int64_t now)
{
    bool busy = hidma_chan_gate(ch) && hidma_tr_has_work(ch);

    if (busy && ch->busy_since < 0) {
        ch->busy_since = now;
    } else if (!busy && ch->busy_since >= 0) {
        ch->stat_busy_ns += now - ch->busy_since;
        ch->busy_since = -1;
    }
}

static void hidma_tr_set_state(QcomHidmaChan *ch, uint32_t state)
{
    trace_qcom_hidma_state(ch->index, "trca", hidma_state_name(ch->tr_state),
                           hidma_state_name(state));
    ch->tr_state = state;
}

static void hidma_ev_set_state(QcomHidmaChan *ch, uint32_t state)
{
    trace_qcom_hidma_state(ch->index, "evca", hidma_state_name(ch->ev_state),
                           hidma_state_name(state));
    ch->ev_state = state;
}

static bool hidma_any_runnable(QcomHidmaState *s)
{
    for (uint32_t i = 0; i < s->num_channels; i++) {
        if (hidma_chan_runnable(&s->chan[i])) {
            return true;
        }
    }
    return false;
}

/* Bus time of a burst of "bytes" (at most 1 KiB) under the bandwidth limit */
static int64_t hidma_bus_ns(QcomHidmaState *s, uint32_t bytes)
{
    return MAX((uint64_t)bytes * NANOSECONDS_PER_SECOND / s->bandwidth, 1);
}

/*
 * Start the engine if it is idle and has work: it runs now. With a
 * bandwidth limit, a burst completes when its bus time has passed, and
 * coming from idle the bus is free from now on (idle time is not banked).
 * While it has work the engine re-arms itself (hidma_engine_run()).
 */
static void hidma_engine_kick(QcomHidmaState *s)
{
    if (!timer_pending(s->engine_timer) && hidma_any_runnable(s)) {
        int64_t now = hidma_now();

        s->bus_free_ns = MAX(s->bus_free_ns, now);
        timer_mod(s->engine_timer, now);
    }
}

/* After every state change: busy accounting, interrupt lines, engine. */
static void hidma_update(QcomHidmaState *s)
{
    int64_t now = hidma_now();

    for (uint32_t i = 0; i < s->num_channels; i++) {
        hidma_chan_update_busy(&s->chan[i], now);
        hidma_chan_update_irq(&s->chan[i]);
    }
    hidma_engine_kick(s);
}

/*
 * Ring checks made when ENABLE completes: base aligned to the element,
 * length a non-zero whole number of elements, no wrap of the bus address,
 * and the channel's offsets inside the ring.
 */
static bool hidma_ring_valid(QcomHidmaChan *ch, const char *block,
                             uint64_t base, uint32_t len, uint32_t elem,
                             uint32_t off1, uint32_t off2)
{
    const char *why = NULL;

    if (len == 0) {
        why = "ring length is zero";
    } else if (len % elem) {
        why = "ring length is not a whole number of elements";
    } else if (base % elem) {
        why = "ring base is misaligned";
    } else if (base + len - 1 < base) {
        why = "ring wraps the bus address space";
    } else if (off1 >= len || off2 >= len) {
        why = "ring offsets lie beyond the ring (RESET the channel)";
    }
    if (why) {
        hidma_guest_error("chan %u %s: ENABLE refused: %s "
                          "(base 0x%" PRIx64 " len 0x%x)\n",
                          ch->index, block, why, base, len);
        return false;
    }
    return true;
}

/*
 * Complete the TRCA command at the head of its queue, whose time has come.
 * Returns false if it must wait: SUSPEND and DISABLE finish the TRE in
 * flight first (unless a RESET queued behind them will abort it anyway).
 */
static bool hidma_tr_finish_cmd(QcomHidmaChan *ch)
{
    QcomHidmaCmdQueue *q = &ch->trq;
    uint8_t cmd = q->cmd[0];

    switch (cmd) {
    case HIDMA_CMD_RESET:
        if (q->hung) {
            /* CHRESET_TIMEOUT: the reset failed; STATE stays, no work */
            trace_qcom_hidma_reset_failed(ch->index, "trca",
                                          hidma_state_name(ch->tr_state));
            q->halted = true;
            return true;
        }
        ch->tre_phase = QCOM_HIDMA_TRE_IDLE;
        ch->tre_grace = false;
        ch->tr_read_off = 0;
        ch->tr_doorbell = 0;
        hidma_tr_set_state(ch, HIDMA_STATE_DISABLED);
        break;
    case HIDMA_CMD_ENABLE:
        if (ch->tr_state == HIDMA_STATE_STOPPED) {
            hidma_guest_error("chan %u trca: ENABLE while STOPPED: only "
                              "RESET leaves STOPPED\n", ch->index);
        } else if (ch->tr_state != HIDMA_STATE_ENABLED) {
            if (hidma_ring_valid(ch, "trca", hidma_tr_ring_base(ch),
                                 ch->tr_ring_len, QCOM_HIDMA_TRE_SIZE,
                                 ch->tr_read_off, ch->tr_doorbell)) {
                hidma_tr_set_state(ch, HIDMA_STATE_ENABLED);
            } else {
                hidma_tr_set_state(ch, HIDMA_STATE_DISABLED);
            }
        }
        break;
    case HIDMA_CMD_SUSPEND:
    case HIDMA_CMD_DISABLE:
        if (ch->tre_phase != QCOM_HIDMA_TRE_IDLE &&
            !hidma_cmdq_has(q, HIDMA_CMD_RESET)) {
            return false;       /* finish the TRE in flight first */
        }
        if (ch->tr_state == HIDMA_STATE_STOPPED) {
            hidma_guest_error("chan %u trca: %s while STOPPED: only RESET "
                              "leaves STOPPED\n", ch->index,
                              hidma_cmd_name(cmd));
        } else if (cmd == HIDMA_CMD_DISABLE) {
            hidma_tr_set_state(ch, HIDMA_STATE_DISABLED);
        } else if (ch->tr_state != HIDMA_STATE_DISABLED) {
            hidma_tr_set_state(ch, HIDMA_STATE_SUSPENDED);
        }
        break;
    default:
        g_assert_not_reached();
    }
    q->halted = false;
    return true;
}

/* Complete the EVCA command at the head of its queue. */
static bool hidma_ev_finish_cmd(QcomHidmaChan *ch)
{
    QcomHidmaCmdQueue *q = &ch->evq;

    switch (q->cmd[0]) {
    case HIDMA_CMD_RESET:
        if (q->hung) {
            trace_qcom_hidma_reset_failed(ch->index, "evca",
                                          hidma_state_name(ch->ev_state));
            q->halted = true;
            return true;
        }
        ch->write_ptr = 0;
        ch->ev_doorbell = 0;
        hidma_ev_set_state(ch, HIDMA_STATE_DISABLED);
        break;
    case HIDMA_CMD_ENABLE:
        if (ch->ev_state != HIDMA_STATE_ENABLED) {
            if (hidma_ring_valid(ch, "evca", hidma_ev_ring_base(ch),
                                 ch->ev_ring_len, QCOM_HIDMA_EVRE_SIZE,
                                 ch->write_ptr, ch->ev_doorbell)) {
                hidma_ev_set_state(ch, HIDMA_STATE_ENABLED);
            } else {
                hidma_ev_set_state(ch, HIDMA_STATE_DISABLED);
            }
        }
        break;
    case HIDMA_CMD_SUSPEND:
        if (ch->ev_state == HIDMA_STATE_ENABLED) {
            hidma_ev_set_state(ch, HIDMA_STATE_SUSPENDED);
        }
        break;
    case HIDMA_CMD_DISABLE:
        hidma_ev_set_state(ch, HIDMA_STATE_DISABLED);
        break;
    default:
        g_assert_not_reached();
    }
    q->halted = false;
    return true;
}

static QcomHidmaCmdQueue *hidma_cmdq(QcomHidmaChan *ch, bool trca)
{
    return trca ? &ch->trq : &ch->evq;
}

/*
 * Start the command at the head of a block's queue. It completes
 * cmd-delay-ns from now; a RESET that hangs (knob) fails after
 * CHRESET_TIMEOUT engine cycles; a RESET of a block that already reads
 * DISABLED completes at once.
 */
static void hidma_cmdq_start(QcomHidmaChan *ch, bool trca)
{
    QcomHidmaCmdQueue *q = hidma_cmdq(ch, trca);
    QEMUTimer *timer = trca ? ch->tr_cmd_timer : ch->ev_cmd_timer;
    uint32_t state = trca ? ch->tr_state : ch->ev_state;
    int64_t now = hidma_now();

    q->due = false;
    q->hung = false;
    if (q->cmd[0] == HIDMA_CMD_RESET && ch->reset_hang) {
        q->hung = true;
        timer_mod(timer, now + (int64_t)ch->s->chreset_timeout *
                              QCOM_HIDMA_CYCLE_NS);
    } else if (q->cmd[0] == HIDMA_CMD_RESET &&
               state == HIDMA_STATE_DISABLED) {
        timer_del(timer);
        q->due = true;
    } else {
        timer_mod(timer, now + ch->s->cmd_delay_ns);
    }
}

/* Complete the commands at the head of a block's queue whose time came. */
static void hidma_cmdq_run(QcomHidmaChan *ch, bool trca)
{
    QcomHidmaCmdQueue *q = hidma_cmdq(ch, trca);

    while (q->len && q->due) {
        if (!(trca ? hidma_tr_finish_cmd(ch) : hidma_ev_finish_cmd(ch))) {
            return;
        }
        q->len--;
        memmove(q->cmd, q->cmd + 1, q->len);
        q->due = false;
        q->hung = false;
        if (q->len) {
            hidma_cmdq_start(ch, trca);
        }
    }
}

static void hidma_tr_cmd_timer(void *opaque)
{
    QcomHidmaChan *ch = opaque;

    ch->trq.due = ch->trq.len > 0;
    hidma_cmdq_run(ch, true);
    hidma_update(ch->s);
}

static void hidma_ev_cmd_timer(void *opaque)
{
    QcomHidmaChan *ch = opaque;

    ch->evq.due = ch->evq.len > 0;
    hidma_cmdq_run(ch, false);
    hidma_update(ch->s);
}

/*
 * A CTRLSTS write. The command is latched (COMMAND reads back what was
 * written) and joins the block's command queue; commands complete in the
 * order written.
 */
static void hidma_write_ctrlsts(QcomHidmaChan *ch, bool trca, uint32_t val)
{
    uint32_t cmd = FIELD_EX32(val, CTRLSTS, COMMAND);
    const char *block = trca ? "trca" : "evca";
    QcomHidmaCmdQueue *q = hidma_cmdq(ch, trca);

    if (val & ~R_CTRLSTS_COMMAND_MASK & ~R_CTRLSTS_STATE_MASK) {
        hidma_guest_error("chan %u %s: CTRLSTS reserved bits written: "
                          "0x%08x\n", ch->index, block, val);
    }
    if (trca) {
        ch->tr_cmd = cmd;
    } else {
        ch->ev_cmd = cmd;
    }
    if (!hidma_cmd_valid(cmd)) {
        hidma_guest_error("chan %u %s: unknown command %u ignored\n",
                          ch->index, block, cmd);
        return;
    }
    if (q->len == QCOM_HIDMA_CMDQ_DEPTH) {
        hidma_guest_error("chan %u %s: %s dropped: %u commands are "
                          "already waiting\n", ch->index, block,
                          hidma_cmd_name(cmd), q->len);
        return;
    }
    trace_qcom_hidma_command(ch->index, block, hidma_cmd_name(cmd));
    if (trca) {
        /* chanN-*-after-stop: from RESET or DISABLE to the next ENABLE */
        if (cmd == HIDMA_CMD_RESET) {
            ch->tr_stopped = true;
            ch->tre_grace = false;
        } else if (cmd == HIDMA_CMD_DISABLE) {
            /* the TRE in flight may finish, as the contract says */
            if (!ch->tr_stopped && ch->tre_phase != QCOM_HIDMA_TRE_IDLE) {
                ch->tre_grace = true;
            }
            ch->tr_stopped = true;
        } else if (cmd == HIDMA_CMD_ENABLE) {
            ch->tr_stopped = false;
            ch->tre_grace = false;
        }
    }
    q->cmd[q->len++] = cmd;
    if (q->len == 1) {
        hidma_cmdq_start(ch, trca);
    }
    /* a RESET may release a SUSPEND or DISABLE waiting for a TRE */
    hidma_cmdq_run(ch, trca);
}

/* ------------------------------------------------------------------ */
/* The engine: TRE fetch, data bursts, events                          */

static void hidma_tre_fail(QcomHidmaChan *ch, unsigned cause)
{
    trace_qcom_hidma_tre_error(ch->index, cause);
    ch->tre_cause = cause;
    ch->tre_phase = QCOM_HIDMA_TRE_EVENT;
}

/* Copy the next TRE into the channel and check it. */
static void hidma_tre_fetch(QcomHidmaChan *ch)
{
    uint64_t addr = hidma_tr_ring_base(ch) + ch->tr_read_off;
    uint32_t buf[QCOM_HIDMA_TRE_SIZE / 4];
    uint32_t type, chid, len;
    MemTxResult res;

    res = dma_memory_read(&ch->dma_as, addr, buf, sizeof(buf),
                          MEMTXATTRS_UNSPECIFIED);
    ch->tr_read_off = (ch->tr_read_off + QCOM_HIDMA_TRE_SIZE) %
                      ch->tr_ring_len;
    ch->tre_done = 0;
    ch->tre_cause = 0;
    ch->tre_fault = QCOM_HIDMA_FAULT_NONE;
    ch->tre_grace = false;
    if (res != MEMTX_OK) {
        hidma_guest_error("chan %u: TRE read at "
                          "0x%" PRIx64 " failed\n", ch->index, addr);
        memset(ch->tre, 0, sizeof(ch->tre));
        hidma_tre_fail(ch, HIDMA_CAUSE_TRE_RD);
        return;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(buf); i++) {
        ch->tre[i] = le32_to_cpu(buf[i]);
    }

    type = FIELD_EX32(ch->tre[TRE_W_CFG], TRE_CFG, TYPE);
    chid = FIELD_EX32(ch->tre[TRE_W_CFG], TRE_CFG, CHID);
    len = ch->tre[TRE_W_LEN];
    trace_qcom_hidma_tre_start(ch->index, (uint32_t)(addr -
                               hidma_tr_ring_base(ch)), type, len);
    if (type != HIDMA_TRE_MEMCPY && type != HIDMA_TRE_MEMSET) {
        hidma_guest_error("chan %u: TRE type %u "
                          "unknown\n", ch->index, type);
        hidma_tre_fail(ch, HIDMA_CAUSE_INVALID_TRE);
        return;
    }
    if (len == 0) {
        hidma_guest_error("chan %u: TRE length "
                          "zero\n", ch->index);
        hidma_tre_fail(ch, HIDMA_CAUSE_INVALID_TRE);
        return;
    }
    if (chid != ch->index) {
        hidma_guest_error("chan %u: TRE names "
                          "channel %u\n", ch->index, chid);
        hidma_tre_fail(ch, HIDMA_CAUSE_INVALID_TRE);
        return;
    }
    /* A valid TRE consumes the one-shot fault knob. */
    ch->tre_fault = ch->fault;
    ch->fault = QCOM_HIDMA_FAULT_NONE;
    ch->tre_phase = QCOM_HIDMA_TRE_DATA;
}

/* Move one burst of the TRE in flight; returns the bytes written. */
static uint32_t hidma_tre_burst(QcomHidmaChan *ch, uint32_t burst)
{
    uint8_t buf[QCOM_HIDMA_MAX_BURST];
    uint32_t type = FIELD_EX32(ch->tre[TRE_W_CFG], TRE_CFG, TYPE);
    uint64_t len = ch->tre[TRE_W_LEN];
    uint64_t src = deposit64(ch->tre[TRE_W_SRC_LO], 32, 32,
                             ch->tre[TRE_W_SRC_HI]);
    uint64_t dst = deposit64(ch->tre[TRE_W_DST_LO], 32, 32,
                             ch->tre[TRE_W_DST_HI]);
    uint32_t n = MIN(burst, len - ch->tre_done);
    MemTxResult res;

    assert(n > 0 && n <= sizeof(buf));
    if (ch->tre_fault == QCOM_HIDMA_FAULT_DATA_READ) {
        hidma_tre_fail(ch, HIDMA_CAUSE_DATA_RD);
        return 0;
    }
    if (type == HIDMA_TRE_MEMCPY) {
        if (src + len - 1 < src) {
            hidma_guest_error("chan %u: source "
                              "0x%" PRIx64 " + 0x%" PRIx64 " wraps\n",
                              ch->index, src, len);
            hidma_tre_fail(ch, HIDMA_CAUSE_DATA_RD);
            return 0;
        }
        res = dma_memory_read(&ch->dma_as, src + ch->tre_done,
                              buf, n, MEMTXATTRS_UNSPECIFIED);
        if (res != MEMTX_OK) {
            hidma_guest_error("chan %u: data read "
                              "at 0x%" PRIx64 " failed\n", ch->index,
                              src + ch->tre_done);
            hidma_tre_fail(ch, HIDMA_CAUSE_DATA_RD);
            return 0;
        }
    } else {
        /* memset: byte k of the TRE gets byte k mod 8 of the pattern */
        for (uint32_t i = 0; i < n; i++) {
            buf[i] = src >> (8 * ((ch->tre_done + i) % 8));
        }
    }
    if (ch->tre_fault == QCOM_HIDMA_FAULT_DATA_WRITE) {
        hidma_tre_fail(ch, HIDMA_CAUSE_DATA_WR);
        return 0;
    }
    if (dst + len - 1 < dst) {
        hidma_guest_error("chan %u: destination "
                          "0x%" PRIx64 " + 0x%" PRIx64 " wraps\n",
                          ch->index, dst, len);
        hidma_tre_fail(ch, HIDMA_CAUSE_DATA_WR);
        return 0;
    }
    res = dma_memory_write(&ch->dma_as, dst + ch->tre_done,
                           buf, n, MEMTXATTRS_UNSPECIFIED);
    if (res != MEMTX_OK) {
        hidma_guest_error("chan %u: data write "
                          "at 0x%" PRIx64 " failed\n", ch->index,
                          dst + ch->tre_done);
        hidma_tre_fail(ch, HIDMA_CAUSE_DATA_WR);
        return 0;
    }
    ch->tre_done += n;
    if (ch->tr_stopped && !ch->tre_grace) {
        ch->stat_bytes_after_stop += n;
    }
    if (ch->tre_done == len) {
        ch->tre_phase = QCOM_HIDMA_TRE_EVENT;
    }
    return n;
}

/*
 * Write an EVRE at addr: the reserved words first, then word 0, the one
 * that holds the completion code, in one 32-bit store. A polling driver
 * finds events by a non-zero code and zeroes it when it consumes one, so
 * word 0 must be stored exactly once and last. A plain copy of the whole
 * element does not guarantee that: glibc's memcpy() stores a 16-byte (or
 * 4-byte) block twice, as two overlapping moves, and a driver that read
 * the code between them and zeroed it had its zero overwritten by the
 * second move; a lap later that stale code read as a new event.
 */
static MemTxResult hidma_evre_write(QcomHidmaChan *ch, uint64_t addr,
                                    uint32_t word0)
{
    static const uint32_t rsvd[QCOM_HIDMA_EVRE_SIZE / 4 - 1];
    MemTxResult res;

    res = dma_memory_write(&ch->dma_as, addr + 4, rsvd, sizeof(rsvd),
                           MEMTXATTRS_UNSPECIFIED);
    if (res != MEMTX_OK) {
        return res;
    }
    smp_wmb(); /* words 1 to 3, and the data, before the code word */
    address_space_stl_le(&ch->dma_as, addr, word0, MEMTXATTRS_UNSPECIFIED,
                         &res);
    return res;
}

/*
 * Report the TRE in flight: its EVRE goes to WRITE_PTR (data is already
 * written), WRITE_PTR advances, then the causes are raised. With the event
 * ring full the channel stalls here until the event DOORBELL moves.
 */
static void hidma_tre_complete(QcomHidmaChan *ch)
{
    bool ok = ch->tre_cause == 0;
    uint32_t causes = 0;
    uint32_t word0;
    uint64_t addr = hidma_ev_ring_base(ch) + ch->write_ptr;
    MemTxResult res;

    if (hidma_ev_ring_full(ch)) {
        trace_qcom_hidma_event_stall(ch->index, ch->write_ptr,
                                     ch->ev_doorbell);
        return;
    }

    if (ok) {
        word0 = FIELD_DP32(0, EVRE_W0, CODE, HIDMA_EVRE_SUCCESS);
    } else {
        word0 = FIELD_DP32(0, EVRE_W0, CODE, HIDMA_EVRE_ERROR);
        word0 = FIELD_DP32(word0, EVRE_W0, ERR_INFO, ch->tre_cause);
    }
    trace_qcom_hidma_evre(ch->index, ch->write_ptr, word0);
    if (ch->tre_fault == QCOM_HIDMA_FAULT_EVENT_WRITE) {
        res = MEMTX_ERROR;
    } else {
        res = hidma_evre_write(ch, addr, word0);
    }
    if (res == MEMTX_OK) {
        ch->write_ptr = (ch->write_ptr + QCOM_HIDMA_EVRE_SIZE) %
                        ch->ev_ring_len;
        if (ok && FIELD_EX32(ch->tre[TRE_W_CFG], TRE_CFG, IEOB)) {
            causes |= BIT(HIDMA_CAUSE_EOB);
        }
    } else {
        hidma_guest_error("chan %u: event write "
                          "at 0x%" PRIx64 " failed\n", ch->index, addr);
        causes |= BIT(HIDMA_CAUSE_EVENT_WR);
    }
    if (!ok) {
        causes |= BIT(ch->tre_cause);
    }

    /* chanN-tres: TREs whose event (success or error) was written */
    if (res == MEMTX_OK) {
        ch->stat_tres++;
        if (ch->tr_stopped && !ch->tre_grace) {
            ch->stat_tres_after_stop++;
        }
    }
    if (ok && res == MEMTX_OK) {
        ch->stat_bytes += ch->tre[TRE_W_LEN];
    } else {
        ch->stat_errors++;
        hidma_tr_set_state(ch, HIDMA_STATE_STOPPED);
    }
    ch->tre_phase = QCOM_HIDMA_TRE_IDLE;
    ch->tre_fault = QCOM_HIDMA_FAULT_NONE;
    if (causes) {
        hidma_chan_raise(ch, causes);
    }
    ch->tre_grace = false;
    /* A SUSPEND or DISABLE may have waited for this TRE. */
    hidma_cmdq_run(ch, true);
}

/*
 * The arbiter, counting bursts that moved data (see hidma_arbiter_charge()).
 * Runnable high-priority channels are always served before low-priority
 * ones. Within a priority, weighted round robin: a round gives every
 * channel "weight" bursts. A grant lets its channel issue back-to-back
 * bursts while it has bursts left in the round and MAX_XACTIONS allows
 * (RD: memcpy bursts, which read; WR: every burst, each writes); then the
 * next runnable channel of that priority with bursts left in the round, in
 * index order, gets the bus. Once no runnable channel has any left, a new
 * round starts.
 */
static bool hidma_grant_left(QcomHidmaState *s, QcomHidmaChan *ch)
{
    return ch->wrr_credits > 0 && s->b2b_rd < hidma_xactions_rd(s) &&
           s->b2b_wr < hidma_xactions_wr(s);
}

static QcomHidmaChan *hidma_arbitrate(QcomHidmaState *s)
{
    uint32_t n = s->num_channels;

    for (int prio = 1; prio >= 0; prio--) {
        QcomHidmaChan *ch;

        if (s->holder >= 0) {
            ch = &s->chan[s->holder];
            if (hidma_chan_priority(ch) == prio &&
                hidma_chan_runnable(ch) && hidma_grant_left(s, ch)) {
                return ch;
            }
        }
        for (int round = 0; round < 2; round++) {
            uint32_t cur = s->wrr_cur[prio] % n;
            bool any = false;

            for (uint32_t i = 1; i <= n; i++) {
                ch = &s->chan[(cur + i) % n];
                if (hidma_chan_priority(ch) != prio ||
                    !hidma_chan_runnable(ch)) {
                    continue;
                }
                any = true;
                if (ch->wrr_credits > 0) {
                    s->wrr_cur[prio] = ch->index;
                    s->holder = ch->index;
                    s->b2b_rd = 0;
                    s->b2b_wr = 0;
                    return ch;
                }
            }
            if (!any) {
                break;
            }
            /* every runnable channel used its weight: a new round */
            for (uint32_t i = 0; i < n; i++) {
                if (hidma_chan_priority(&s->chan[i]) == prio) {
                    s->chan[i].wrr_credits = hidma_chan_weight(&s->chan[i]);
                }
            }
        }
    }
    return NULL;
}

/* A burst that moved data uses one unit of weight and of MAX_XACTIONS. */
static void hidma_arbiter_charge(QcomHidmaState *s, QcomHidmaChan *ch,
                                 bool read)
{
    if (ch->wrr_credits) {
        ch->wrr_credits--;
    }
    s->b2b_wr++;
    if (read) {
        s->b2b_rd++;
    }
}

/*
 * The engine. Each step gives the arbiter's choice one burst: fetch a TRE
 * if none is in flight, move one burst (with a bandwidth limit, once its
 * bus time has passed), and write the event once the data is done. Every
 * step moves data, finishes a TRE or leaves the channel not runnable
 * (stalled on a full event ring), so the engine always makes progress.
 *
 * One callback does at most HIDMA_RUN_MAX_BYTES / HIDMA_RUN_MAX_STEPS of
 * work and, with work left, re-arms itself at least 1 ns later: QEMU runs
 * expired timers in one loop, so a timer re-armed for the current time
 * would run again at once and, whenever the virtual clock stands still
 * (qtest, -icount), keep the main loop until the whole ring is done.
 */
static void hidma_engine_run(void *opaque)
{
    QcomHidmaState *s = opaque;
    int64_t now = hidma_now();
    int64_t next = now + 1;
    uint64_t moved = 0;
    uint32_t steps;

    for (steps = 0; steps < HIDMA_RUN_MAX_STEPS; steps++) {
        QcomHidmaChan *ch;
        uint32_t n = 0;

        if (moved >= HIDMA_RUN_MAX_BYTES) {
            break;
        }
        ch = hidma_arbitrate(s);
        if (!ch) {
            break;
        }
        if (ch->tre_phase == QCOM_HIDMA_TRE_IDLE) {
            hidma_tre_fetch(ch);
        }
        if (ch->tre_phase == QCOM_HIDMA_TRE_DATA) {
            uint32_t burst = hidma_tre_next_burst(ch);
            bool read = hidma_tre_is_memcpy(ch);

            if (s->bandwidth &&
                s->bus_free_ns + hidma_bus_ns(s, burst) > now) {
                next = s->bus_free_ns + hidma_bus_ns(s, burst);
                break;
            }
            n = hidma_tre_burst(ch, burst);
            if (n) {
                hidma_arbiter_charge(s, ch, read);
                if (s->bandwidth) {
                    s->bus_free_ns += hidma_bus_ns(s, n);
                }
            }
        }
        if (ch->tre_phase == QCOM_HIDMA_TRE_EVENT) {
            hidma_tre_complete(ch);
        }
        moved += n;
    }
    trace_qcom_hidma_engine_run(now, steps, moved);
    if (hidma_any_runnable(s)) {
        timer_mod(s->engine_timer, MAX(next, now + 1));
    }
    hidma_update(s);
}

/* ------------------------------------------------------------------ */
/* MMIO                                                                */

static bool hidma_access_ok(const char *block, int chan, hwaddr addr,
                            unsigned size, bool write)
{
    if (size == 4 && !(addr & 3)) {
        return true;
    }
    hidma_guest_error("%s %d: %u-byte %s at offset 0x%" HWADDR_PRIx
                      " ignored: registers take aligned 32-bit accesses "
                      "only\n", block, chan, size,
                      write ? "write" : "read", addr);
    return false;
}

static void hidma_log_unlisted(const char *block, int chan, hwaddr addr,
                               bool write)
{
    hidma_guest_error("%s %d: %s of unlisted "
                      "offset 0x%" HWADDR_PRIx "\n", block, chan,
                      write ? "write" : "read", addr);
}

static void hidma_log_ro(const char *block, int chan, const char *reg)
{
    hidma_guest_error("%s %d: %s is read only\n",
                      block, chan, reg);
}

static uint32_t hidma_hw_version(QcomHidmaState *s)
{
    uint32_t v = FIELD_DP32(0, HW_VERSION, MAJOR, 1);

    switch (s->rev) {
    case QCOM_HIDMA_REV_1_0:
        return FIELD_DP32(v, HW_VERSION, MINOR, 0);
    case QCOM_HIDMA_REV_1_1:
        return FIELD_DP32(v, HW_VERSION, MINOR, 1);
    default:
        return FIELD_DP32(v, HW_VERSION, MINOR, 2);
    }
}

static uint64_t hidma_mgmt_read(void *opaque, hwaddr addr, unsigned size)
{
    QcomHidmaState *s = opaque;
    uint32_t val = 0;

    if (!hidma_access_ok("mgmt", 0, addr, size, false)) {
        return 0;
    }
    switch (addr) {
    case A_CFG:
        val = s->cfg;
        break;
    case A_CHRESET_TIMEOUT:
        val = s->chreset_timeout;
        break;
    case A_MAX_BUS_REQ_LEN:
        val = s->max_bus_req_len;
        break;
    case A_MAX_XACTIONS:
        val = s->max_xactions;
        break;
    case A_HW_VERSION:
        val = hidma_hw_version(s);
        break;
    case A_QOS0 ... HIDMA_QOS_LAST:
        if ((addr - A_QOS0) / 4 < s->num_channels) {
            val = s->qos[(addr - A_QOS0) / 4];
            break;
        }
        /* fall through */
    default:
        hidma_log_unlisted("mgmt", 0, addr, false);
        break;
    }
    trace_qcom_hidma_mgmt_read(addr, val);
    return val;
}

static bool hidma_burst_legal(uint32_t bytes)
{
    return is_power_of_2(bytes) && bytes >= HIDMA_BURST_MIN &&
           bytes <= QCOM_HIDMA_MAX_BURST;
}

static void hidma_mgmt_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    QcomHidmaState *s = opaque;
    uint32_t val = value;
    uint32_t n, w;

    if (!hidma_access_ok("mgmt", 0, addr, size, true)) {
        return;
    }
    trace_qcom_hidma_mgmt_write(addr, val);
    switch (addr) {
    case A_CFG:
        if (val & ~R_CFG_ENABLE_MASK) {
            hidma_guest_error("CFG reserved bits "
                              "written: 0x%08x\n", val);
        }
        s->cfg = val & R_CFG_ENABLE_MASK;
        break;
    case A_CHRESET_TIMEOUT:
        if (val & ~R_CHRESET_TIMEOUT_CYCLES_MASK) {
            hidma_guest_error("CHRESET_TIMEOUT "
                              "reserved bits written: 0x%08x\n", val);
        }
        s->chreset_timeout = val & R_CHRESET_TIMEOUT_CYCLES_MASK;
        break;
    case A_MAX_BUS_REQ_LEN:
        if (!hidma_burst_legal(FIELD_EX32(val, MAX_BUS_REQ_LEN, WR)) ||
            !hidma_burst_legal(FIELD_EX32(val, MAX_BUS_REQ_LEN, RD))) {
            hidma_guest_error("MAX_BUS_REQ_LEN "
                              "0x%08x: bursts must be powers of two in "
                              "128..1024\n", val);
        }
        s->max_bus_req_len = val;
        break;
    case A_MAX_XACTIONS:
        if (val & ~(R_MAX_XACTIONS_WR_MASK | R_MAX_XACTIONS_RD_MASK)) {
            hidma_guest_error("MAX_XACTIONS "
                              "reserved bits written: 0x%08x\n", val);
        }
        s->max_xactions = val & (R_MAX_XACTIONS_WR_MASK |
                                 R_MAX_XACTIONS_RD_MASK);
        break;
    case A_HW_VERSION:
        hidma_log_ro("mgmt", 0, "HW_VERSION");
        break;
    case A_QOS0 ... HIDMA_QOS_LAST:
        n = (addr - A_QOS0) / 4;
        if (n >= s->num_channels) {
            hidma_log_unlisted("mgmt", 0, addr, true);
            break;
        }
        w = FIELD_EX32(val, QOS, WEIGHT);
        if ((val & ~(R_QOS_WEIGHT_MASK | R_QOS_PRIORITY_MASK)) ||
            w < 1 || w > HIDMA_WEIGHT_MAX) {
            hidma_guest_error("QOS(%u) 0x%08x: "
                              "weight must be 1..15, bits outside 15:8 "
                              "reserved\n", n, val);
        }
        s->qos[n] = val & (R_QOS_WEIGHT_MASK | R_QOS_PRIORITY_MASK);
        break;
    default:
        hidma_log_unlisted("mgmt", 0, addr, true);
        break;
    }
    hidma_update(s);
}

static uint64_t hidma_trca_read(void *opaque, hwaddr addr, unsigned size)
{
    QcomHidmaChan *ch = opaque;
    bool v12 = ch->s->rev == QCOM_HIDMA_REV_1_2;
    uint32_t val = 0;

    ch->stat_reg_reads++;
    if (!hidma_access_ok("trca", ch->index, addr, size, false)) {
        return 0;
    }
    switch (addr) {
    case A_CTRLSTS:
        val = FIELD_DP32(val, CTRLSTS, COMMAND, ch->tr_cmd);
        val = FIELD_DP32(val, CTRLSTS, STATE, hidma_tr_visible_state(ch));
        break;
    case A_TRCA_RING_LOW:
        val = ch->tr_ring_low;
        break;
    case A_TRCA_RING_HIGH:
        val = ch->tr_ring_high;
        break;
    case A_TRCA_RING_LEN:
        val = ch->tr_ring_len;
        break;
    case A_TRCA_CHID:
        val = v12 ? 0 : ch->index;
        break;
    case A_TRCA_CHID_V12:
        val = v12 ? ch->index : 0;
        break;
    case A_TRCA_DOORBELL:
        val = ch->tr_doorbell;
        break;
    default:
        hidma_log_unlisted("trca", ch->index, addr, false);
        break;
    }
    trace_qcom_hidma_chan_read(ch->index, "trca", addr, val);
    return val;
}

/* Ring base and length can change only while the block is DISABLED. */
static bool hidma_ring_writable(QcomHidmaChan *ch, const char *block,
                                uint32_t state)
{
    if (state == HIDMA_STATE_DISABLED) {
        return true;
    }
    hidma_guest_error("chan %u %s: ring register "
                      "written in state %s: ignored (only while DISABLED)\n",
                      ch->index, block, hidma_state_name(state));
    return false;
}

static bool hidma_doorbell_valid(QcomHidmaChan *ch, const char *block,
                                 uint32_t val, uint32_t elem, uint32_t len)
{
    if (val % elem == 0 && val < len) {
        return true;
    }
    hidma_guest_error("chan %u %s: DOORBELL 0x%x "
                      "ignored: not a multiple of %u below the ring length "
                      "0x%x\n", ch->index, block, val, elem, len);
    return false;
}

static void hidma_trca_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    QcomHidmaChan *ch = opaque;
    uint32_t val = value;

    ch->stat_reg_writes++;
    if (!hidma_access_ok("trca", ch->index, addr, size, true)) {
        return;
    }
    trace_qcom_hidma_chan_write(ch->index, "trca", addr, val);
    switch (addr) {
    case A_CTRLSTS:
        hidma_write_ctrlsts(ch, true, val);
        break;
    case A_TRCA_RING_LOW:
        if (hidma_ring_writable(ch, "trca", ch->tr_state)) {
            ch->tr_ring_low = val;
        }
        break;
    case A_TRCA_RING_HIGH:
        if (hidma_ring_writable(ch, "trca", ch->tr_state)) {
            ch->tr_ring_high = val;
        }
        break;
    case A_TRCA_RING_LEN:
        if (hidma_ring_writable(ch, "trca", ch->tr_state)) {
            ch->tr_ring_len = val;
        }
        break;
    case A_TRCA_CHID:
    case A_TRCA_CHID_V12:
        hidma_log_ro("trca", ch->index, "CHID");
        break;
    case A_TRCA_DOORBELL:
        ch->stat_doorbells++;
        if (hidma_doorbell_valid(ch, "trca", val, QCOM_HIDMA_TRE_SIZE,
                                 ch->tr_ring_len)) {
            ch->tr_doorbell = val;
        }
        break;
    default:
        hidma_log_unlisted("trca", ch->index, addr, true);
        break;
    }
    hidma_update(ch->s);
}

static uint64_t hidma_evca_read(void *opaque, hwaddr addr, unsigned size)
{
    QcomHidmaChan *ch = opaque;
    bool msi = hidma_msi_capable(ch->s);
    uint32_t val = 0;

    ch->stat_reg_reads++;
    if (!hidma_access_ok("evca", ch->index, addr, size, false)) {
        return 0;
    }
    switch (addr) {
    case A_CTRLSTS:
        val = FIELD_DP32(val, CTRLSTS, COMMAND, ch->ev_cmd);
        val = FIELD_DP32(val, CTRLSTS, STATE, ch->ev_state);
        break;
    case A_EVCA_INTCTRL:
        val = ch->intctrl;
        break;
    case A_EVCA_RING_LOW:
        val = ch->ev_ring_low;
        break;
    case A_EVCA_RING_HIGH:
        val = ch->ev_ring_high;
        break;
    case A_EVCA_RING_LEN:
        val = ch->ev_ring_len;
        break;
    case A_EVCA_WRITE_PTR:
        val = ch->write_ptr;
        break;
    case A_EVCA_IRQ_STAT:
        val = ch->irq_stat;
        break;
    case A_EVCA_IRQ_CLR:
        break;          /* write only, reads as zero */
    case A_EVCA_IRQ_EN:
        val = ch->irq_en;
        break;
    case A_EVCA_MSI_ADDR_LO:
        val = msi ? ch->msi_addr_lo : 0;
        break;
    case A_EVCA_MSI_ADDR_HI:
        val = msi ? ch->msi_addr_hi : 0;
        break;
    case A_EVCA_MSI_DATA:
        val = msi ? ch->msi_data : 0;
        break;
    case A_EVCA_DOORBELL:
        val = ch->ev_doorbell;
        break;
    default:
        hidma_log_unlisted("evca", ch->index, addr, false);
        break;
    }
    trace_qcom_hidma_chan_read(ch->index, "evca", addr, val);
    return val;
}

/*
 * Software hands back only slots the engine wrote: the event DOORBELL may
 * move forward up to WRITE_PTR, no further. Past it, software consumed an
 * event that was never written (a stale one) and the engine, which takes
 * the ring for full, stalls. Logged, and taken as written, as the engine
 * would. While the event channel is DISABLED software may set any offset
 * (ENABLE checks it).
 */
static void hidma_ev_doorbell_check(QcomHidmaChan *ch, uint32_t val)
{
    uint32_t len = ch->ev_ring_len;

    if (ch->ev_state == HIDMA_STATE_DISABLED) {
        return;
    }
    if ((val + len - ch->ev_doorbell) % len >
        (ch->write_ptr + len - ch->ev_doorbell) % len) {
        hidma_guest_error("chan %u evca: DOORBELL 0x%x passes WRITE_PTR "
                          "0x%x (from 0x%x): events consumed that were "
                          "never written\n", ch->index, val, ch->write_ptr,
                          ch->ev_doorbell);
    }
}

static void hidma_evca_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    QcomHidmaChan *ch = opaque;
    bool msi = hidma_msi_capable(ch->s);
    uint32_t val = value;
    uint32_t mode;

    ch->stat_reg_writes++;
    if (!hidma_access_ok("evca", ch->index, addr, size, true)) {
        return;
    }
    trace_qcom_hidma_chan_write(ch->index, "evca", addr, val);
    switch (addr) {
    case A_CTRLSTS:
        hidma_write_ctrlsts(ch, false, val);
        break;
    case A_EVCA_INTCTRL:
        mode = FIELD_EX32(val, EVCA_INTCTRL, MODE);
        if ((val & ~R_EVCA_INTCTRL_MODE_MASK) ||
            (mode != HIDMA_INTMODE_MSI && mode != HIDMA_INTMODE_WIRED)) {
            hidma_guest_error("chan %u: INTCTRL "
                              "0x%08x: mode must be 0 (MSI) or 1 (wired); "
                              "other modes act as wired\n", ch->index, val);
        } else if (mode == HIDMA_INTMODE_MSI && !msi) {
            hidma_guest_error("chan %u: MSI mode "
                              "on revision 1.0: the wired line stays in use\n",
                              ch->index);
        }
        ch->intctrl = val & R_EVCA_INTCTRL_MODE_MASK;
        break;
    case A_EVCA_RING_LOW:
        if (hidma_ring_writable(ch, "evca", ch->ev_state)) {
            ch->ev_ring_low = val;
        }
        break;
    case A_EVCA_RING_HIGH:
        if (hidma_ring_writable(ch, "evca", ch->ev_state)) {
            ch->ev_ring_high = val;
        }
        break;
    case A_EVCA_RING_LEN:
        if (hidma_ring_writable(ch, "evca", ch->ev_state)) {
            ch->ev_ring_len = val;
        }
        break;
    case A_EVCA_WRITE_PTR:
        hidma_log_ro("evca", ch->index, "WRITE_PTR");
        break;
    case A_EVCA_IRQ_STAT:
        hidma_log_ro("evca", ch->index, "IRQ_STAT");
        break;
    case A_EVCA_IRQ_CLR:
        ch->irq_stat &= ~val;
        break;
    case A_EVCA_IRQ_EN:
        if (val & ~HIDMA_CAUSES_ALL) {
            hidma_guest_error("chan %u: IRQ_EN 0x%08x enables unknown "
                              "causes\n", ch->index, val);
        }
        ch->irq_en = val & HIDMA_CAUSES_ALL;
        break;
    case A_EVCA_MSI_ADDR_LO:
    case A_EVCA_MSI_ADDR_HI:
    case A_EVCA_MSI_DATA:
        if (!msi) {
            hidma_log_unlisted("evca", ch->index, addr, true);
        } else if (addr == A_EVCA_MSI_ADDR_LO) {
            ch->msi_addr_lo = val;
        } else if (addr == A_EVCA_MSI_ADDR_HI) {
            ch->msi_addr_hi = val;
        } else {
            ch->msi_data = val;
        }
        break;
    case A_EVCA_DOORBELL:
        if (hidma_doorbell_valid(ch, "evca", val, QCOM_HIDMA_EVRE_SIZE,
                                 ch->ev_ring_len)) {
            hidma_ev_doorbell_check(ch, val);
            ch->ev_doorbell = val;   /* may release an event-ring stall */
        }
        break;
    default:
        hidma_log_unlisted("evca", ch->index, addr, true);
        break;
    }
    hidma_update(ch->s);
}

/*
 * The memory core passes every access through unchanged so the handlers
 * can log (and ignore) the ones that are not aligned 32-bit accesses.
 */
#define HIDMA_MMIO_OPS(rd, wr) {                                \
    .read = rd,                                                 \
    .write = wr,                                                \
    .endianness = DEVICE_LITTLE_ENDIAN,                         \
    .valid = {                                                  \
        .min_access_size = 1,                                   \
        .max_access_size = 8,                                   \
        .unaligned = true,                                      \
    },                                                          \
    .impl = {                                                   \
        .min_access_size = 1,                                   \
        .max_access_size = 8,                                   \
        .unaligned = true,                                      \
    },                                                          \
}

static const MemoryRegionOps hidma_mgmt_ops =
    HIDMA_MMIO_OPS(hidma_mgmt_read, hidma_mgmt_write);
static const MemoryRegionOps hidma_trca_ops =
    HIDMA_MMIO_OPS(hidma_trca_read, hidma_trca_write);
static const MemoryRegionOps hidma_evca_ops =
    HIDMA_MMIO_OPS(hidma_evca_read, hidma_evca_write);

/* ------------------------------------------------------------------ */
/* QOM test knobs and statistics                                       */

static void hidma_get_reset_hang(Object *obj, Visitor *v, const char *name,
                                 void *opaque, Error **errp)
{
    QcomHidmaChan *ch = opaque;

    visit_type_bool(v, name, &ch->reset_hang, errp);
}

static void hidma_set_reset_hang(Object *obj, Visitor *v, const char *name,
                                 void *opaque, Error **errp)
{
    QcomHidmaChan *ch = opaque;
    bool value;

    if (visit_type_bool(v, name, &value, errp)) {
        ch->reset_hang = value;
    }
}

static void hidma_get_fault(Object *obj, Visitor *v, const char *name,
                            void *opaque, Error **errp)
{
    QcomHidmaChan *ch = opaque;
    char *value = g_strdup(hidma_fault_names[ch->fault]);

    visit_type_str(v, name, &value, errp);
    g_free(value);
}

static void hidma_set_fault(Object *obj, Visitor *v, const char *name,
                            void *opaque, Error **errp)
{
    QcomHidmaChan *ch = opaque;
    char *value;

    if (!visit_type_str(v, name, &value, errp)) {
        return;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(hidma_fault_names); i++) {
        if (!strcmp(value, hidma_fault_names[i])) {
            ch->fault = i;
            g_free(value);
            return;
        }
    }
    error_setg(errp, "%s: '%s' is not one of none, data-read, data-write, "
               "event-write", name, value);
    g_free(value);
}

static void hidma_get_busy_ns(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    QcomHidmaChan *ch = opaque;
    uint64_t value = ch->stat_busy_ns;

    if (ch->busy_since >= 0) {
        value += hidma_now() - ch->busy_since;
    }
    visit_type_uint64(v, name, &value, errp);
}

/*
 * The channel's bus: its own link, else the engine's, else system memory.
 * Every access of the channel goes through ch->dma_as from here on.
 */
static void hidma_chan_init_dma(QcomHidmaState *s, QcomHidmaChan *ch)
{
    g_autofree char *name = g_strdup_printf("qcom-hidma-chan%u-dma",
                                            ch->index);
    MemoryRegion *mr = ch->dma_mr ? ch->dma_mr : s->dma_mr;

    address_space_init(&ch->dma_as, mr ? mr : get_system_memory(), name);
}

static void hidma_add_chan_props(QcomHidmaState *s, QcomHidmaChan *ch)
{
    Object *obj = OBJECT(s);
    g_autofree char *hang = g_strdup_printf("chan%u-reset-hang", ch->index);
    g_autofree char *fault = g_strdup_printf("chan%u-fault", ch->index);
    g_autofree char *bytes = g_strdup_printf("chan%u-bytes", ch->index);
    g_autofree char *tres = g_strdup_printf("chan%u-tres", ch->index);
    g_autofree char *errors = g_strdup_printf("chan%u-errors", ch->index);
    g_autofree char *busy = g_strdup_printf("chan%u-busy-ns", ch->index);
    g_autofree char *dbs = g_strdup_printf("chan%u-doorbells", ch->index);
    g_autofree char *qos = g_strdup_printf("chan%u-qos", ch->index);
    g_autofree char *rd = g_strdup_printf("chan%u-reg-reads", ch->index);
    g_autofree char *wr = g_strdup_printf("chan%u-reg-writes", ch->index);
    g_autofree char *tas = g_strdup_printf("chan%u-tres-after-stop",
                                           ch->index);
    g_autofree char *bas = g_strdup_printf("chan%u-bytes-after-stop",
                                           ch->index);

    object_property_add(obj, hang, "bool", hidma_get_reset_hang,
                        hidma_set_reset_hang, NULL, ch);
    object_property_add(obj, fault, "string", hidma_get_fault,
                        hidma_set_fault, NULL, ch);
    object_property_add_uint64_ptr(obj, bytes, &ch->stat_bytes,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, tres, &ch->stat_tres,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, errors, &ch->stat_errors,
                                   OBJ_PROP_FLAG_READ);
    object_property_add(obj, busy, "uint64", hidma_get_busy_ns, NULL, NULL,
                        ch);
    object_property_add_uint64_ptr(obj, dbs, &ch->stat_doorbells,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint32_ptr(obj, qos, &s->qos[ch->index],
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, rd, &ch->stat_reg_reads,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, wr, &ch->stat_reg_writes,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, tas, &ch->stat_tres_after_stop,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, bas, &ch->stat_bytes_after_stop,
                                   OBJ_PROP_FLAG_READ);
}

/* ------------------------------------------------------------------ */
/* Device                                                              */

static void hidma_chan_reset(QcomHidmaChan *ch)
{
    timer_del(ch->tr_cmd_timer);
    timer_del(ch->ev_cmd_timer);

    ch->tr_cmd = 0;
    ch->tr_state = HIDMA_STATE_DISABLED;
    ch->tr_ring_low = 0;
    ch->tr_ring_high = 0;
    ch->tr_ring_len = 0;
    ch->tr_doorbell = 0;

    ch->ev_cmd = 0;
    ch->ev_state = HIDMA_STATE_DISABLED;
    ch->intctrl = 0;
    ch->ev_ring_low = 0;
    ch->ev_ring_high = 0;
    ch->ev_ring_len = 0;
    ch->write_ptr = 0;
    ch->irq_stat = 0;
    ch->irq_en = 0;
    ch->msi_addr_lo = 0;
    ch->msi_addr_hi = 0;
    ch->msi_data = 0;
    ch->ev_doorbell = 0;

    ch->tr_read_off = 0;
    memset(&ch->trq, 0, sizeof(ch->trq));
    memset(&ch->evq, 0, sizeof(ch->evq));
    ch->tr_stopped = false;
    ch->tre_grace = false;
    ch->tre_phase = QCOM_HIDMA_TRE_IDLE;
    memset(ch->tre, 0, sizeof(ch->tre));
    ch->tre_done = 0;
    ch->tre_cause = 0;
    ch->tre_fault = QCOM_HIDMA_FAULT_NONE;
    ch->wrr_credits = 0;
    /* Test knobs and statistics belong to the host and survive resets. */
}

static void hidma_reset(DeviceState *dev)
{
    QcomHidmaState *s = QCOM_HIDMA(dev);

    timer_del(s->engine_timer);
    s->cfg = s->start_enabled ? R_CFG_ENABLE_MASK : 0;
    s->chreset_timeout = HIDMA_CHRESET_TIMEOUT_RESET;
    s->max_bus_req_len = HIDMA_MAX_BUS_REQ_LEN_RESET;
    s->max_xactions = HIDMA_MAX_XACTIONS_RESET;
    for (unsigned i = 0; i < QCOM_HIDMA_MAX_CHANNELS; i++) {
        s->qos[i] = HIDMA_QOS_RESET;
    }
    /* The first turn of each priority goes to channel 0. */
    s->wrr_cur[0] = s->num_channels - 1;
    s->wrr_cur[1] = s->num_channels - 1;
    s->holder = -1;
    s->b2b_rd = 0;
    s->b2b_wr = 0;
    s->bus_free_ns = 0;
    for (uint32_t i = 0; i < s->num_channels; i++) {
        hidma_chan_reset(&s->chan[i]);
    }
    hidma_update(s);
}

static void hidma_realize(DeviceState *dev, Error **errp)
{
    QcomHidmaState *s = QCOM_HIDMA(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    const char *rev = s->revision ? s->revision : "1.1";

    if (s->num_channels < 1 || s->num_channels > QCOM_HIDMA_MAX_CHANNELS) {
        error_setg(errp, "qcom-hidma: channels must be 1..%d, not %u",
                   QCOM_HIDMA_MAX_CHANNELS, s->num_channels);
        return;
    }
    if (!strcmp(rev, "1.0")) {
        s->rev = QCOM_HIDMA_REV_1_0;
    } else if (!strcmp(rev, "1.1")) {
        s->rev = QCOM_HIDMA_REV_1_1;
    } else if (!strcmp(rev, "1.2")) {
        s->rev = QCOM_HIDMA_REV_1_2;
    } else {
        error_setg(errp, "qcom-hidma: revision must be 1.0, 1.1 or 1.2, "
                   "not '%s'", rev);
        return;
    }
    if (s->cmd_delay_ns > HIDMA_CMD_DELAY_MAX_NS) {
        error_setg(errp, "qcom-hidma: cmd-delay-ns must be at most %" PRIu64,
                   (uint64_t)HIDMA_CMD_DELAY_MAX_NS);
        return;
    }
    if ((uint64_t)s->msi_devid_base + s->num_channels - 1 > UINT16_MAX) {
        error_setg(errp, "qcom-hidma: msi-devid-base 0x%x leaves no 16-bit "
                   "DeviceID for every channel", s->msi_devid_base);
        return;
    }

    for (uint32_t i = s->num_channels; i < QCOM_HIDMA_MAX_CHANNELS; i++) {
        if (s->chan[i].dma_mr) {
            error_setg(errp, "qcom-hidma: chan%u-dma-memory is set but the "
                       "engine has %u channels", i, s->num_channels);
            return;
        }
    }

    memory_region_init_io(&s->mgmt_mmio, OBJECT(s), &hidma_mgmt_ops, s,
                          "qcom-hidma-mgmt", QCOM_HIDMA_MGMT_SIZE);
    sysbus_init_mmio(sbd, &s->mgmt_mmio);
    memory_region_init(&s->trca_container, OBJECT(s), "qcom-hidma-trca",
                       s->num_channels * QCOM_HIDMA_CHAN_SIZE);
    sysbus_init_mmio(sbd, &s->trca_container);
    memory_region_init(&s->evca_container, OBJECT(s), "qcom-hidma-evca",
                       s->num_channels * QCOM_HIDMA_CHAN_SIZE);
    sysbus_init_mmio(sbd, &s->evca_container);
    sysbus_init_irq(sbd, &s->mgmt_irq);

    for (uint32_t i = 0; i < s->num_channels; i++) {
        QcomHidmaChan *ch = &s->chan[i];
        g_autofree char *trca = g_strdup_printf("qcom-hidma-trca%u", i);
        g_autofree char *evca = g_strdup_printf("qcom-hidma-evca%u", i);

        ch->s = s;
        ch->index = i;
        ch->busy_since = -1;
        memory_region_init_io(&ch->trca_mmio, OBJECT(s), &hidma_trca_ops, ch,
                              trca, QCOM_HIDMA_CHAN_SIZE);
        memory_region_add_subregion(&s->trca_container,
                                    i * QCOM_HIDMA_CHAN_SIZE, &ch->trca_mmio);
        memory_region_init_io(&ch->evca_mmio, OBJECT(s), &hidma_evca_ops, ch,
                              evca, QCOM_HIDMA_CHAN_SIZE);
        memory_region_add_subregion(&s->evca_container,
                                    i * QCOM_HIDMA_CHAN_SIZE, &ch->evca_mmio);
        sysbus_init_irq(sbd, &ch->irq);
        ch->tr_cmd_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                        hidma_tr_cmd_timer, ch);
        ch->ev_cmd_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                        hidma_ev_cmd_timer, ch);
        hidma_add_chan_props(s, ch);
        hidma_chan_init_dma(s, ch);
    }
    s->engine_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, hidma_engine_run, s);

    object_property_add_uint32_ptr(OBJECT(s), "mgmt-cfg", &s->cfg,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint32_ptr(OBJECT(s), "mgmt-max-bus-req-len",
                                   &s->max_bus_req_len, OBJ_PROP_FLAG_READ);
    object_property_add_uint32_ptr(OBJECT(s), "mgmt-max-xactions",
                                   &s->max_xactions, OBJ_PROP_FLAG_READ);
    object_property_add_uint32_ptr(OBJECT(s), "mgmt-chreset-timeout",
                                   &s->chreset_timeout, OBJ_PROP_FLAG_READ);
}

static void hidma_unrealize(DeviceState *dev)
{
    QcomHidmaState *s = QCOM_HIDMA(dev);

    for (uint32_t i = 0; i < s->num_channels; i++) {
        address_space_destroy(&s->chan[i].dma_as);
        timer_free(s->chan[i].tr_cmd_timer);
        timer_free(s->chan[i].ev_cmd_timer);
    }
    timer_free(s->engine_timer);
}

static bool hidma_cmdq_valid(QcomHidmaCmdQueue *q)
{
    if (q->len > QCOM_HIDMA_CMDQ_DEPTH) {
        return false;
    }
    for (uint32_t i = 0; i < q->len; i++) {
        if (!hidma_cmd_valid(q->cmd[i])) {
            return false;
        }
    }
    return q->len || (!q->due && !q->hung);
}

/* The migration stream is not trusted: check what the engine relies on. */
static int hidma_chan_post_load(void *opaque, int version_id)
{
    QcomHidmaChan *ch = opaque;

    if (ch->tr_state >= HIDMA_STATE_NUM || ch->ev_state >= HIDMA_STATE_NUM ||
        ch->tr_state == HIDMA_STATE_RUNNING ||
        ch->ev_state == HIDMA_STATE_RUNNING ||
        ch->tre_phase > QCOM_HIDMA_TRE_EVENT ||
        ch->fault > QCOM_HIDMA_FAULT_EVENT_WRITE ||
        ch->tre_fault > QCOM_HIDMA_FAULT_EVENT_WRITE ||
        !hidma_cmdq_valid(&ch->trq) || !hidma_cmdq_valid(&ch->evq) ||
        ch->wrr_credits > HIDMA_WEIGHT_MAX ||
        (ch->tre_cause != 0 && ch->tre_cause != HIDMA_CAUSE_TRE_RD &&
         ch->tre_cause != HIDMA_CAUSE_DATA_RD &&
         ch->tre_cause != HIDMA_CAUSE_DATA_WR &&
         ch->tre_cause != HIDMA_CAUSE_INVALID_TRE)) {
        return -EINVAL;
    }
    /* Offsets and doorbells are whole elements, as the register path keeps */
    if (ch->tr_read_off % QCOM_HIDMA_TRE_SIZE ||
        ch->tr_doorbell % QCOM_HIDMA_TRE_SIZE ||
        ch->write_ptr % QCOM_HIDMA_EVRE_SIZE ||
        ch->ev_doorbell % QCOM_HIDMA_EVRE_SIZE) {
        return -EINVAL;
    }
    if (ch->tr_state == HIDMA_STATE_ENABLED &&
        (ch->tr_ring_len == 0 || ch->tr_ring_len % QCOM_HIDMA_TRE_SIZE ||
         ch->tr_read_off >= ch->tr_ring_len ||
         ch->tr_read_off % QCOM_HIDMA_TRE_SIZE ||
         ch->tr_doorbell >= ch->tr_ring_len)) {
        return -EINVAL;
    }
    if (ch->ev_state == HIDMA_STATE_ENABLED &&
        (ch->ev_ring_len == 0 || ch->ev_ring_len % QCOM_HIDMA_EVRE_SIZE ||
         ch->write_ptr >= ch->ev_ring_len ||
         ch->write_ptr % QCOM_HIDMA_EVRE_SIZE ||
         ch->ev_doorbell >= ch->ev_ring_len)) {
        return -EINVAL;
    }
    if (ch->tre_phase == QCOM_HIDMA_TRE_DATA &&
        (ch->tre_done >= ch->tre[TRE_W_LEN] ||
         (FIELD_EX32(ch->tre[TRE_W_CFG], TRE_CFG, TYPE) != HIDMA_TRE_MEMCPY &&
          FIELD_EX32(ch->tre[TRE_W_CFG], TRE_CFG, TYPE) != HIDMA_TRE_MEMSET))) {
        return -EINVAL;
    }
    return 0;
}

static int hidma_post_load(void *opaque, int version_id)
{
    QcomHidmaState *s = opaque;

    if (s->holder < -1 || s->holder >= (int32_t)s->num_channels) {
        return -EINVAL;
    }
    return 0;
}

static const VMStateDescription vmstate_qcom_hidma_cmdq = {
    .name = "qcom-hidma-cmdq",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT8_ARRAY(cmd, QcomHidmaCmdQueue, QCOM_HIDMA_CMDQ_DEPTH),
        VMSTATE_UINT32(len, QcomHidmaCmdQueue),
        VMSTATE_BOOL(due, QcomHidmaCmdQueue),
        VMSTATE_BOOL(hung, QcomHidmaCmdQueue),
        VMSTATE_BOOL(halted, QcomHidmaCmdQueue),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_qcom_hidma_chan = {
    .name = "qcom-hidma-chan",
    .version_id = 2,
    .minimum_version_id = 2,
    .post_load = hidma_chan_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_TIMER_PTR(tr_cmd_timer, QcomHidmaChan),
        VMSTATE_TIMER_PTR(ev_cmd_timer, QcomHidmaChan),
        VMSTATE_UINT32(tr_cmd, QcomHidmaChan),
        VMSTATE_UINT32(tr_state, QcomHidmaChan),
        VMSTATE_UINT32(tr_ring_low, QcomHidmaChan),
        VMSTATE_UINT32(tr_ring_high, QcomHidmaChan),
        VMSTATE_UINT32(tr_ring_len, QcomHidmaChan),
        VMSTATE_UINT32(tr_doorbell, QcomHidmaChan),
        VMSTATE_UINT32(ev_cmd, QcomHidmaChan),
        VMSTATE_UINT32(ev_state, QcomHidmaChan),
        VMSTATE_UINT32(intctrl, QcomHidmaChan),
        VMSTATE_UINT32(ev_ring_low, QcomHidmaChan),
        VMSTATE_UINT32(ev_ring_high, QcomHidmaChan),
        VMSTATE_UINT32(ev_ring_len, QcomHidmaChan),
        VMSTATE_UINT32(write_ptr, QcomHidmaChan),
        VMSTATE_UINT32(irq_stat, QcomHidmaChan),
        VMSTATE_UINT32(irq_en, QcomHidmaChan),
        VMSTATE_UINT32(msi_addr_lo, QcomHidmaChan),
        VMSTATE_UINT32(msi_addr_hi, QcomHidmaChan),
        VMSTATE_UINT32(msi_data, QcomHidmaChan),
        VMSTATE_UINT32(ev_doorbell, QcomHidmaChan),
        VMSTATE_UINT32(tr_read_off, QcomHidmaChan),
        VMSTATE_STRUCT(trq, QcomHidmaChan, 1, vmstate_qcom_hidma_cmdq,
                       QcomHidmaCmdQueue),
        VMSTATE_STRUCT(evq, QcomHidmaChan, 1, vmstate_qcom_hidma_cmdq,
                       QcomHidmaCmdQueue),
        VMSTATE_BOOL(tr_stopped, QcomHidmaChan),
        VMSTATE_BOOL(tre_grace, QcomHidmaChan),
        VMSTATE_UINT32(tre_phase, QcomHidmaChan),
        VMSTATE_UINT32_ARRAY(tre, QcomHidmaChan, QCOM_HIDMA_TRE_SIZE / 4),
        VMSTATE_UINT64(tre_done, QcomHidmaChan),
        VMSTATE_UINT32(tre_cause, QcomHidmaChan),
        VMSTATE_UINT32(tre_fault, QcomHidmaChan),
        VMSTATE_UINT32(wrr_credits, QcomHidmaChan),
        VMSTATE_BOOL(reset_hang, QcomHidmaChan),
        VMSTATE_UINT32(fault, QcomHidmaChan),
        VMSTATE_UINT64(stat_bytes, QcomHidmaChan),
        VMSTATE_UINT64(stat_tres, QcomHidmaChan),
        VMSTATE_UINT64(stat_errors, QcomHidmaChan),
        VMSTATE_UINT64(stat_busy_ns, QcomHidmaChan),
        VMSTATE_UINT64(stat_doorbells, QcomHidmaChan),
        VMSTATE_UINT64(stat_reg_reads, QcomHidmaChan),
        VMSTATE_UINT64(stat_reg_writes, QcomHidmaChan),
        VMSTATE_UINT64(stat_tres_after_stop, QcomHidmaChan),
        VMSTATE_UINT64(stat_bytes_after_stop, QcomHidmaChan),
        VMSTATE_INT64(busy_since, QcomHidmaChan),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_qcom_hidma = {
    .name = TYPE_QCOM_HIDMA,
    .version_id = 2,
    .minimum_version_id = 2,
    .post_load = hidma_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_TIMER_PTR(engine_timer, QcomHidmaState),
        VMSTATE_UINT32(cfg, QcomHidmaState),
        VMSTATE_UINT32(chreset_timeout, QcomHidmaState),
        VMSTATE_UINT32(max_bus_req_len, QcomHidmaState),
        VMSTATE_UINT32(max_xactions, QcomHidmaState),
        VMSTATE_UINT32_ARRAY(qos, QcomHidmaState, QCOM_HIDMA_MAX_CHANNELS),
        VMSTATE_UINT32_ARRAY(wrr_cur, QcomHidmaState, 2),
        VMSTATE_INT32(holder, QcomHidmaState),
        VMSTATE_UINT32(b2b_rd, QcomHidmaState),
        VMSTATE_UINT32(b2b_wr, QcomHidmaState),
        VMSTATE_INT64(bus_free_ns, QcomHidmaState),
        VMSTATE_STRUCT_VARRAY_UINT32(chan, QcomHidmaState, num_channels, 1,
                                     vmstate_qcom_hidma_chan, QcomHidmaChan),
        VMSTATE_END_OF_LIST()
    }
};

static Property hidma_properties[] = {
    DEFINE_PROP_UINT32("channels", QcomHidmaState, num_channels, 6),
    DEFINE_PROP_STRING("revision", QcomHidmaState, revision),
    DEFINE_PROP_UINT64("cmd-delay-ns", QcomHidmaState, cmd_delay_ns, 50000),
    DEFINE_PROP_UINT64("bandwidth", QcomHidmaState, bandwidth, 0),
    DEFINE_PROP_BOOL("start-enabled", QcomHidmaState, start_enabled, false),
    DEFINE_PROP_UINT32("msi-devid-base", QcomHidmaState, msi_devid_base,
                       0x100),
    DEFINE_PROP_LINK("dma-memory", QcomHidmaState, dma_mr,
                     TYPE_MEMORY_REGION, MemoryRegion *),
    DEFINE_PROP_END_OF_LIST(),
};

static void hidma_instance_init(Object *obj)
{
    QcomHidmaState *s = QCOM_HIDMA(obj);

    /* A string property has no default of its own; -global overrides it. */
    s->revision = g_strdup("1.1");

    /*
     * One bus link per possible channel, settable until realize (a board
     * links each channel to its own IOMMU region before it knows whether
     * the engine is realized with that many channels; realize refuses a
     * link on a channel beyond "channels").
     */
    for (uint32_t i = 0; i < QCOM_HIDMA_MAX_CHANNELS; i++) {
        g_autofree char *name = g_strdup_printf("chan%u-dma-memory", i);

        object_property_add_link(obj, name, TYPE_MEMORY_REGION,
                                 (Object **)&s->chan[i].dma_mr,
                                 qdev_prop_allow_set_link_before_realize,
                                 OBJ_PROP_LINK_STRONG);
    }
}

static void hidma_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "Qualcomm Technologies HIDMA engine";
    dc->realize = hidma_realize;
    dc->unrealize = hidma_unrealize;
    dc->reset = hidma_reset;
    dc->vmsd = &vmstate_qcom_hidma;
    device_class_set_props(dc, hidma_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo hidma_info = {
    .name = TYPE_QCOM_HIDMA,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(QcomHidmaState),
    .instance_init = hidma_instance_init,
    .class_init = hidma_class_init,
};

static void hidma_register_types(void)
{
    type_register_static(&hidma_info);
}

type_init(hidma_register_types)
