"""Texts of the class wall: the teacher's room (code, link, QR code, the wall the students fill)
and the students' page (draw, say, send); the refusals of `ae.rooms.store` (their English is the
core's own MESSAGES, made sentences; the Chinese is here)."""

from ae.rooms.store import MESSAGES

_ZH_ERRORS = {  # what a room refused (ae.rooms.store.MESSAGES)
    "unknown": "没有代码为 {code} 的房间：请检查代码，或向老师要链接。",
    "closed": "房间 {code} 已关闭。",
    "expired": "房间 {code} 已过期（很久没有活动）。",
    "full": "房间 {code} 已满（{limit} 个数字）。",
    "student_full": "你已经向这个房间发送了 {limit} 个数字，这是每位同学的上限。",
    "bad_image": "这张图片不是 28 × 28 的数字（{why}）。",
    "bad_digit": "数字必须是 0 到 9 的整数，而不是 {digit}。",
    "rooms_full": "服务器上已经开着 {limit} 个房间；请先关闭一个。",
    "not_teacher": "只有打开房间 {code} 的老师可以修改它。",
}


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


TEXTS = {
    **{f"cw.err.{k}": (_sentence(MESSAGES[k]), zh) for k, zh in _ZH_ERRORS.items()},
    "cw.err.store": (
        "The class wall's rooms cannot be kept: {msg}. Ask whoever runs the server to fix the "
        "room file (AE_ROOMS_DB); the other pages work as before.",
        "全班的墙无法保存房间：{msg}。请让运行服务器的人修好房间文件（AE_ROOMS_DB）；其他页面照常可用。"),
    "nav.class_wall": ("Class wall", "全班的墙"),
    "class_wall.title": ("The class wall", "全班的墙"),
    "class_wall.intro": (
        "Open a room and show its code on the projector: the students open the link (or scan "
        "the QR code) on their phones or laptops, draw a digit, say which one it is and send "
        "it. Within a few seconds N.Coder pins each one on this wall, among the test marks, "
        "coloured by the digit its student said. Click a star to see D.Coder's repainting.",
        "打开一个房间，把代码投到屏幕上：同学们在手机或电脑上打开链接（或扫二维码），"
        "画一个数字，说出它是几，然后发送。几秒钟之内，N.Coder 就把每个数字钉在这面墙上的"
        "测试标记之间，按同学说的数字着色。点击一颗星星，看看 D.Coder 怎样重画它。"),

    # -- the teacher --------------------------------------------------------------------------
    "cw.open": ("Open a room", "打开一个房间"),
    "cw.open.text": (
        "Only the pictures, the digits said and their marks are shared: no names, nothing else "
        "of a student's session. Each student may send {per_student} digits, a room holds "
        "{max_marks}; a room nobody uses for {hours:g} hours closes by itself.",
        "共享的只有图片、同学说的数字和它们的标记：没有姓名，也没有同学会话里的其他任何内容。"
        "每位同学最多发送 {per_student} 个数字，一个房间最多 {max_marks} 个；"
        "一个房间 {hours:g} 小时无人使用就会自动关闭。"),
    "cw.h.room": ("Room {code}", "房间 {code}"),
    "cw.link": ("The students open this link, or scan the code:",
                "同学们打开这个链接，或者扫描二维码："),
    "cw.link.swapped": (
        "This computer opened the dashboard as localhost; the link uses its address on the "
        "network ({host}) instead, so that the students' devices can reach it.",
        "这台电脑是通过 localhost 打开仪表板的；链接改用它在网络上的地址（{host}），"
        "这样同学们的设备才能访问。"),
    "cw.link.local": (
        "No network address was found for this computer: this link works only on it. Open "
        "the dashboard by its network address (or set AE_PUBLIC_URL) for the class.",
        "没有找到这台电脑的网络地址：这个链接只能在本机打开。请用它的网络地址打开仪表板"
        "（或设置 AE_PUBLIC_URL），全班才能使用。"),
    "cw.qr": ("Scan to join room {code}", "扫码进入房间 {code}"),
    "cw.clear": ("Clear the wall", "清空这面墙"),
    "cw.clear.help": ("Takes every digit off the wall; each student may send again.",
                      "把所有数字从墙上取下；每位同学都可以重新发送。"),
    "cw.close": ("Close the room", "关闭房间"),
    "cw.close.help": ("The digits are deleted and the link stops working.",
                      "数字会被删除，链接也不再有效。"),
    "cw.closed.note": ("Room {code} is closed; its digits are deleted.",
                       "房间 {code} 已关闭；其中的数字已删除。"),
    "cw.cleared": ("The wall is empty again.", "墙又空了。"),
    "cw.gone": ("{msg} Open a new room to go on.", "{msg} 请打开一个新房间继续。"),
    "cw.h.wall": ("The class's digits on the wall", "全班的数字在墙上"),
    "cw.count": ("{n} of at most {limit} digits on the wall · refreshed every {s:g} s",
                 "墙上有 {n} 个数字（最多 {limit} 个）· 每 {s:g} 秒刷新"),
    "cw.empty": ("No digit yet: the stars appear here as the students send them.",
                 "还没有数字：同学们发送后，星星会出现在这里。"),
    "cw.pca": ("This model's wall has {z} dimensions: the figure shows their two main "
               "directions (PCA), the students' digits projected like every test mark.",
               "这个模型的墙有 {z} 维：图中显示它的两个主方向（PCA），同学们的数字和每个测试标记"
               "一样被投影。"),
    "cw.pick": ("A digit of the class", "全班的一个数字"),
    "cw.pick.help": ("Click a star on the wall, or choose one here.",
                     "点击墙上的星星，或在这里选择一个。"),
    "cw.pick.option": ("#{id}: a {digit}", "#{id}：数字 {digit}"),
    "cw.pick.newest": ("The newest digit, #{id}, said to be a {digit}.",
                       "最新的数字 #{id}，同学说它是 {digit}。"),
    "cw.pick.chosen": ("Digit #{id}, said to be a {digit}.", "数字 #{id}，同学说它是 {digit}。"),
    "cw.input": ("as sent (28 × 28)", "发送的图片（28 × 28）"),
    "cw.repainted": ("D.Coder's repainting", "D.Coder 的重画"),
    "cw.read": ("The digit classifier reads the repainting as **{d}** ({p:.0%}).",
                "数字分类器把重画读作 **{d}**（{p:.0%}）。"),
    "cw.remove": ("Remove this digit", "移除这个数字"),
    "cw.plot.title": ("The class wall: the students' digits among the test marks",
                      "全班的墙：同学们的数字在测试标记之间"),
    "cw.plot.own": ("the class's digits", "全班的数字"),
    "cw.plot.mark": ("digit", "数字"),
    "cw.plot.reads": ("repainting reads", "重画读作"),

    # -- the students ------------------------------------------------------------------------
    "cw.student.title": ("Send your digit to the class wall", "把你的数字发到全班的墙上"),
    "cw.student.intro": (
        "Draw one digit, say which one it is and send it: it appears on your teacher's wall "
        "among everyone's digits. Only the picture and the digit are sent, no name.",
        "画一个数字，说出它是几，然后发送：它会出现在老师的墙上，和大家的数字在一起。"
        "发送的只有图片和数字，没有姓名。"),
    "cw.student.room": ("Room **{code}** · you have sent {n} of {limit} digits.",
                        "房间 **{code}** · 你已发送 {n} / {limit} 个数字。"),
    "cw.said.help": ("Your star on the wall is coloured by it.", "你在墙上的星星按它着色。"),
    "cw.prepared": ("what will be sent: your digit prepared like MNIST",
                    "将要发送的：像 MNIST 一样处理过的数字"),
    "cw.send": ("Send to the class wall", "发送到全班的墙"),
    "cw.send.need_digit": ("Choose which digit you drew to send it.",
                           "选择你画的是哪个数字，才能发送。"),
    "cw.send.need_picture": ("Draw a digit first.", "先画一个数字。"),
    "cw.sent": ("Your {digit} is on the class wall.", "你的 {digit} 已经在全班的墙上了。"),
    "cw.err.kept": ("Nothing was sent.", "什么也没有发送。"),
    "cw.student.done": ("Thank you! Look for your stars on the teacher's wall.",
                        "谢谢！在老师的墙上找找你的星星吧。"),
}
