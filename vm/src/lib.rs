//! jitlens-vm
