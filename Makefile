# SPDX-License-Identifier: GPL-2.0-only
#
# Build and install the HIDMA modules against a kernel build tree (see the
# README's "Install" section):
#
#   make                        build against the running kernel's headers
#   make KDIR=/path/to/build    ... against another tree (ARCH, CROSS_COMPILE
#                               as for the kernel)
#   make install                the modules into /lib/modules/<release>/updates,
#                               depmod, tools/modprobe.d/hidma.conf into
#                               /etc/modprobe.d (install-modprobe), and the
#                               admin tool (install-tools)
#   make install INSTALL_MOD_PATH=/some/root
#                               the same under a staging root (a package build,
#                               an image): depmod -b /some/root
#   make install-modules        only the modules (and depmod)
#   make install-modprobe       only the modprobe.d file; an existing file that
#                               differs (local options) is left alone
#   make install-tools          only tools/hidma-handoff: the tool into
#                               $(DESTDIR)$(PREFIX)/sbin, its man page into
#                               $(DESTDIR)$(PREFIX)/share/man/man8; needs no
#                               kernel tree (PREFIX=/usr/local; DESTDIR is
#                               INSTALL_MOD_PATH unless given). DKMS installs
#                               only modules: run this once from the tree.
#   make uninstall              remove what install installed, depmod
#   make uninstall-tools        remove what install-tools installed
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(CURDIR)

# The release the tree was configured for (what `uname -r` says once that
# kernel runs), not the release of the running kernel: UTS_RELEASE, which
# kbuild's modules_install uses too. (Debian 12's 6.1 header packages say
# 6.1.<upstream> in include/config/kernel.release but 6.1.0-<abi>-<flavour>
# in UTS_RELEASE; that file only where utsrelease.h is missing.)
KRELEASE ?= $(or $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null), \
	$(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null))
DEPMOD ?= depmod
PREFIX ?= /usr/local
DESTDIR ?= $(INSTALL_MOD_PATH)

MOD_DIR = $(INSTALL_MOD_PATH)/lib/modules/$(KRELEASE)/updates
MODPROBE_CONF = $(INSTALL_MOD_PATH)/etc/modprobe.d/hidma.conf
TOOL_BIN = $(DESTDIR)$(PREFIX)/sbin/hidma-handoff
TOOL_MAN = $(DESTDIR)$(PREFIX)/share/man/man8/hidma-handoff.8
# Every module the tree can build (hidma_vfio_reset only where the kernel
# has vfio-platform).
MODULES := hidma_mgmt hidma_chan hidma_vfio_reset
MOD_SUFFIXES := .ko .ko.xz .ko.gz .ko.zst
# modules_install keeps each module's directory of the source tree.
MOD_SUBDIRS := hidma_mgmt/ hidma_chan/

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean

check-kdir:
	@test -n "$(KRELEASE)" || { echo "$(KDIR): no include/generated/utsrelease.h;" \
		"is KDIR a configured kernel build tree?" >&2; exit 1; }

# kbuild's modules_install skips depmod without a System.map (distribution
# header packages have none) and with one runs it against the whole tree:
# run it here either way, so the new modules are found by name and alias.
install: install-modules install-modprobe install-tools

install-modules: modules check-kdir
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_DIR=updates modules_install
	$(DEPMOD) $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KRELEASE)

install-modprobe:
	@if [ -e $(MODPROBE_CONF) ] && ! cmp -s $(PWD)/tools/modprobe.d/hidma.conf $(MODPROBE_CONF); then \
		echo "$(MODPROBE_CONF) differs from tools/modprobe.d/hidma.conf:" \
			"left as it is; merge the new file by hand" >&2; \
	else \
		echo "  INSTALL $(MODPROBE_CONF)"; \
		install -D -m 0644 $(PWD)/tools/modprobe.d/hidma.conf $(MODPROBE_CONF); \
	fi

# Plain files, no kernel tree needed: not behind check-kdir.
install-tools:
	@echo "  INSTALL $(TOOL_BIN)"
	@install -D -m 0755 $(PWD)/tools/hidma-handoff/hidma-handoff $(TOOL_BIN)
	@echo "  INSTALL $(TOOL_MAN)"
	@install -D -m 0644 $(PWD)/tools/hidma-handoff/hidma-handoff.8 $(TOOL_MAN)

uninstall-tools:
	@echo "  REMOVE  $(TOOL_BIN) $(TOOL_MAN)"
	@rm -f $(TOOL_BIN) $(TOOL_MAN)

# The modprobe.d file goes only if it is still ours, unchanged.
uninstall: check-kdir uninstall-tools
	@echo "  REMOVE  $(MODULES) from $(MOD_DIR)"
	@rm -f $(foreach d,$(MOD_SUBDIRS),$(foreach m,$(MODULES),$(addprefix $(MOD_DIR)/$(d)$(m),$(MOD_SUFFIXES))))
	@rmdir $(addprefix $(MOD_DIR)/,$(MOD_SUBDIRS)) 2>/dev/null || true
	$(DEPMOD) $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KRELEASE)
	@if cmp -s $(PWD)/tools/modprobe.d/hidma.conf $(MODPROBE_CONF); then \
		echo "  REMOVE  $(MODPROBE_CONF)"; rm -f $(MODPROBE_CONF); \
	elif [ -e $(MODPROBE_CONF) ]; then \
		echo "$(MODPROBE_CONF) has local changes: left in place" >&2; \
	fi

.PHONY: all modules clean check-kdir install install-modules install-modprobe \
	install-tools uninstall uninstall-tools
