# A server and a client on 127.0.0.1 in the same sandbox.
import socket, threading
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(1)
def answer():
    connection, _ = server.accept()
    connection.sendall(connection.recv(100).upper())
    connection.close()
threading.Thread(target=answer).start()
client = socket.create_connection(server.getsockname(), timeout=5)
client.sendall(b"ping")
print(client.recv(100).decode())
