/*
 * QEMU model of the Qualcomm Technologies HIDMA engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One device models one HIDMA instance: a management block and up to 32
 * channels, each with a transfer (TRCA) and an event (EVCA) register block.
 * The register contract and the model's own choices are described in the
 * project's Documentation/virtual-platform.rst ("Model choices").
 *
 * SysBus interface:
 *   MMIO 0: management block, 0x1000 bytes
 *   MMIO 1: TRCA container, channel n's TRCA at n * 0x1000
 *   MMIO 2: EVCA container, channel n's EVCA at n * 0x1000
 *   IRQ 0: management interrupt (never raised: no cause is documented)
 *   IRQ 1 + n: channel n's wired interrupt (level)
 *
 * DMA: every bus access of channel n (TRE reads, data reads and writes,
 * EVRE writes, MSI writes) goes through an address space built on the
 * memory region of the link property "chanN-dma-memory", or where that is
 * unset of "dma-memory", or where that too is unset the system memory. A
 * board puts a channel behind an IOMMU by linking the IOMMU's region for
 * the channel's stream ID; a transaction the region fails (e.g. an IOMMU
 * fault) is the read or write error cause of the access, as for any other
 * bus error.
 *
 * Commands (model choice): each block keeps the CTRLSTS commands written
 * to it in a FIFO of QCOM_HIDMA_CMDQ_DEPTH entries and completes them in
 * the order written, each cmd-delay-ns after the previous one finished; a
 * later command never replaces or cancels an earlier one. A RESET that
 * reaches the head of the FIFO while its block is already DISABLED
 * completes at once (STATE already reads DISABLED, so what software sees
 * is true), zeroing the offsets before any later command runs. A command
 * written to a full FIFO is dropped and logged as a guest error.
 *
 * CHRESET_TIMEOUT (model choice): the engine clock is a nominal 100 MHz,
 * QCOM_HIDMA_CYCLE_NS per cycle. A RESET that hangs (the chanN-reset-hang
 * knob, sampled when the RESET starts) fails CHRESET_TIMEOUT cycles after
 * it started: STATE keeps its old value (so a driver polling for DISABLED
 * sees the failure), nothing is zeroed, and the channel does no work until
 * the next command of that block completes. The next command in the FIFO
 * then runs, so a later RESET can succeed once the knob is cleared.
 */

#ifndef HW_DMA_QCOM_HIDMA_H
#define HW_DMA_QCOM_HIDMA_H

#include "hw/sysbus.h"
#include "qemu/timer.h"
#include "qom/object.h"

#define TYPE_QCOM_HIDMA "qcom-hidma"
OBJECT_DECLARE_SIMPLE_TYPE(QcomHidmaState, QCOM_HIDMA)

#define QCOM_HIDMA_MAX_CHANNELS     32
#define QCOM_HIDMA_MGMT_SIZE        0x1000
#define QCOM_HIDMA_CHAN_SIZE        0x1000
#define QCOM_HIDMA_TRE_SIZE         32
#define QCOM_HIDMA_EVRE_SIZE        16
#define QCOM_HIDMA_MAX_BURST        1024
#define QCOM_HIDMA_CMDQ_DEPTH       8
/* One engine clock cycle (CHRESET_TIMEOUT counts these): 100 MHz */
#define QCOM_HIDMA_CYCLE_NS         10

/* Hardware revisions (the "revision" property). */
typedef enum QcomHidmaRev {
    QCOM_HIDMA_REV_1_0,
    QCOM_HIDMA_REV_1_1,
    QCOM_HIDMA_REV_1_2,
} QcomHidmaRev;

/* One-shot fault injection (the "chanN-fault" test knob). */
typedef enum QcomHidmaFault {
    QCOM_HIDMA_FAULT_NONE,
    QCOM_HIDMA_FAULT_DATA_READ,
    QCOM_HIDMA_FAULT_DATA_WRITE,
    QCOM_HIDMA_FAULT_EVENT_WRITE,
} QcomHidmaFault;

/* Where the TRE in flight is. */
typedef enum QcomHidmaTrePhase {
    QCOM_HIDMA_TRE_IDLE,        /* no TRE in flight */
    QCOM_HIDMA_TRE_DATA,        /* moving data, tre_done bytes done */
    QCOM_HIDMA_TRE_EVENT,       /* data done (or failed): EVRE to write */
} QcomHidmaTrePhase;

/*
 * The commands written to one block (TRCA or EVCA), oldest first. cmd[0]
 * is in progress: its timer runs; once "due" it completes as soon as it
 * can (SUSPEND and DISABLE of the TRCA also wait for the TRE in flight).
 */
typedef struct QcomHidmaCmdQueue {
    uint8_t cmd[QCOM_HIDMA_CMDQ_DEPTH];
    uint32_t len;
    bool due;                   /* cmd[0]'s time has come */
    bool hung;                  /* cmd[0] is a RESET that will fail */
    /* a RESET failed: no work until the next command of this block ends */
    bool halted;
} QcomHidmaCmdQueue;

typedef struct QcomHidmaChan {
    struct QcomHidmaState *s;
    uint32_t index;

    MemoryRegion trca_mmio;
    MemoryRegion evca_mmio;
    qemu_irq irq;
    /* "chanN-dma-memory": what this channel's bus accesses go to, or NULL */
    MemoryRegion *dma_mr;
    AddressSpace dma_as;
    /* The command at the head of each queue completes when its timer fires. */
    QEMUTimer *tr_cmd_timer;
    QEMUTimer *ev_cmd_timer;

    /* TRCA registers */
    uint32_t tr_cmd;            /* CTRLSTS.COMMAND as last written */
    uint32_t tr_state;          /* DISABLED/ENABLED/SUSPENDED/STOPPED */
    uint32_t tr_ring_low;
    uint32_t tr_ring_high;
    uint32_t tr_ring_len;
    uint32_t tr_doorbell;

    /* EVCA registers */
    uint32_t ev_cmd;
    uint32_t ev_state;
    uint32_t intctrl;
    uint32_t ev_ring_low;
    uint32_t ev_ring_high;
    uint32_t ev_ring_len;
    uint32_t write_ptr;
    uint32_t irq_stat;
    uint32_t irq_en;
    uint32_t msi_addr_lo;
    uint32_t msi_addr_hi;
    uint32_t msi_data;
    uint32_t ev_doorbell;

    /* Internal state */
    uint32_t tr_read_off;       /* ring offset of the next TRE to fetch */
    QcomHidmaCmdQueue trq;
    QcomHidmaCmdQueue evq;
    /* RESET or DISABLE written to the TRCA since the last ENABLE */
    bool tr_stopped;
    /* the TRE in flight when a DISABLE was written may still finish */
    bool tre_grace;

    /* TRE in flight: a local copy, parsed only from here */
    uint32_t tre_phase;         /* QcomHidmaTrePhase */
    uint32_t tre[QCOM_HIDMA_TRE_SIZE / 4];
    uint64_t tre_done;          /* bytes of this TRE already moved */
    uint32_t tre_cause;         /* 0: success; else the error cause bit */
    uint32_t tre_fault;         /* QcomHidmaFault latched for this TRE */

    /* Weighted round robin: bursts left to this channel in this round */
    uint32_t wrr_credits;

    /* Test knobs */
    bool reset_hang;
    uint32_t fault;             /* QcomHidmaFault, one shot */

    /* Statistics */
    uint64_t stat_bytes;
    uint64_t stat_tres;
    uint64_t stat_errors;
    uint64_t stat_busy_ns;
    uint64_t stat_doorbells;
    uint64_t stat_reg_reads;    /* CPU reads of this TRCA and EVCA */
    uint64_t stat_reg_writes;   /* CPU writes of this TRCA and EVCA */
    uint64_t stat_tres_after_stop;
    uint64_t stat_bytes_after_stop;
    int64_t busy_since;         /* virtual ns, or -1 while not busy */
} QcomHidmaChan;

struct QcomHidmaState {
    SysBusDevice parent_obj;

    MemoryRegion mgmt_mmio;
    MemoryRegion trca_container;
    MemoryRegion evca_container;
    qemu_irq mgmt_irq;
    /* The engine: arbitrates bursts among channels, off the MMIO path. */
    QEMUTimer *engine_timer;

    /* Properties */
    uint32_t num_channels;
    char *revision;
    uint64_t cmd_delay_ns;
    uint64_t bandwidth;
    bool start_enabled;
    uint32_t msi_devid_base;
    /* "dma-memory": every channel's default bus, or NULL: system memory */
    MemoryRegion *dma_mr;
    QcomHidmaRev rev;

    /* Management registers */
    uint32_t cfg;
    uint32_t chreset_timeout;
    uint32_t max_bus_req_len;
    uint32_t max_xactions;
    uint32_t qos[QCOM_HIDMA_MAX_CHANNELS];

    /* Arbiter state: the last channel granted per priority (0 low, 1 high) */
    uint32_t wrr_cur[2];
    /* the channel holding the bus (-1: none) and its back-to-back bursts */
    int32_t holder;
    uint32_t b2b_rd;
    uint32_t b2b_wr;
    /* bandwidth > 0: virtual time at which the bus is free again */
    int64_t bus_free_ns;

    QcomHidmaChan chan[QCOM_HIDMA_MAX_CHANNELS];
};

#endif /* HW_DMA_QCOM_HIDMA_H */
