# Serves one connection on 127.0.0.1:8765 inside the sandbox: says hello.
import socket
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 8765))
server.listen(1)
connection, _ = server.accept()
connection.sendall(b"hello from the sandbox")
connection.close()
