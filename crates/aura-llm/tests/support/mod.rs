pub mod fault_server;
