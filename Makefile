# SPDX-License-Identifier: GPL-2.0-only
#
# Build the HIDMA modules against a kernel build tree:
#
#   make                       # against the running kernel
#   make KDIR=/path/to/build   # against another tree (ARCH/CROSS_COMPILE as usual)
#   make install               # modules into /lib/modules/<release>/updates, depmod

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(CURDIR)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean

install: modules
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_DIR=updates modules_install

.PHONY: all modules clean install
